package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.RdmaSocketAllocationConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketAllocationConformance} on the tcp provider. */
class TcpRdmaSocketAllocationTest extends RdmaSocketAllocationConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
