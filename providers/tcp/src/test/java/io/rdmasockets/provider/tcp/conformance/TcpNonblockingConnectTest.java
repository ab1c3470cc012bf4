package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.engine.NonblockingConnectConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link NonblockingConnectConformance} on the tcp provider. */
class TcpNonblockingConnectTest extends NonblockingConnectConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
