package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.ManyConnectionsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ManyConnectionsConformance} on the native provider. */
class NativeManyConnectionsTest extends ManyConnectionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
