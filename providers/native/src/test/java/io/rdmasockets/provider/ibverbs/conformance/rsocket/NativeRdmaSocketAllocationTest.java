package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.RdmaSocketAllocationConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketAllocationConformance} on the native provider. */
class NativeRdmaSocketAllocationTest extends RdmaSocketAllocationConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
