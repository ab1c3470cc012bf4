package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.RdmaSocketOptionsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketOptionsConformance} on the native provider. */
class NativeRdmaSocketOptionsTest extends RdmaSocketOptionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
