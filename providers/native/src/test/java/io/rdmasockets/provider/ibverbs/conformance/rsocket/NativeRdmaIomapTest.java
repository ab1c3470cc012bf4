package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.RdmaIomapConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaIomapConformance} on the native provider. */
class NativeRdmaIomapTest extends RdmaIomapConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
