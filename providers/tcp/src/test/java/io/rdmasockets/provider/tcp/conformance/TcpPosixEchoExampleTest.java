package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.EchoExampleConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link EchoExampleConformance} on the tcp provider. */
class TcpPosixEchoExampleTest extends EchoExampleConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
