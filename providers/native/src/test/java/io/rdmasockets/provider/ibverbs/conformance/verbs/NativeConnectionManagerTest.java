package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.ConnectionManagerConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ConnectionManagerConformance} on the native provider. */
class NativeConnectionManagerTest extends ConnectionManagerConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
