package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.RdmaSocketConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketConformance} on the native provider. */
class NativeRdmaSocketTest extends RdmaSocketConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
