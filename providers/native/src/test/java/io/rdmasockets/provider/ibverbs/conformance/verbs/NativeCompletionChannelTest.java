package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.CompletionChannelConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link CompletionChannelConformance} on the native provider. */
class NativeCompletionChannelTest extends CompletionChannelConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
