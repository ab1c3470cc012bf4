package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.RdmaServerSocketConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaServerSocketConformance} on the tcp provider. */
class TcpRdmaServerSocketTest extends RdmaServerSocketConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
