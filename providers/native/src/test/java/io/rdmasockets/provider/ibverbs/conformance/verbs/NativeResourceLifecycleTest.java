package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.ResourceLifecycleConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ResourceLifecycleConformance} on the native provider. */
class NativeResourceLifecycleTest extends ResourceLifecycleConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
