package io.rdmasockets.rsocket.posixsuite;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** {@link AllocationConformance} over the tcp provider. */
class TcpAllocationTest extends AllocationConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return Verbs.provider("tcp").orElseThrow();
    }
}
