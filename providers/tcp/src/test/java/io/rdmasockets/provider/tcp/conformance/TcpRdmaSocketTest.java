package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.RdmaSocketConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketConformance} on the tcp provider. */
class TcpRdmaSocketTest extends RdmaSocketConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
