package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.engine.IomapConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link IomapConformance} on the native provider. */
class NativeIomapTest extends IomapConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
