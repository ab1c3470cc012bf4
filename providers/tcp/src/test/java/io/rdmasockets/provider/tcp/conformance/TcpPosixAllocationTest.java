package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.AllocationConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link AllocationConformance} on the tcp provider. */
class TcpPosixAllocationTest extends AllocationConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
