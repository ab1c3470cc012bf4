package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.QueuePairOrderingConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link QueuePairOrderingConformance} on the native provider. */
class NativeQueuePairOrderingTest extends QueuePairOrderingConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
