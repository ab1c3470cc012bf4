package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.DataCallsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link DataCallsConformance} on the tcp provider. */
class TcpPosixDataCallsTest extends DataCallsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
