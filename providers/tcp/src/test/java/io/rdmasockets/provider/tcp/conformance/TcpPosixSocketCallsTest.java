package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.SocketCallsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link SocketCallsConformance} on the tcp provider. */
class TcpPosixSocketCallsTest extends SocketCallsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
