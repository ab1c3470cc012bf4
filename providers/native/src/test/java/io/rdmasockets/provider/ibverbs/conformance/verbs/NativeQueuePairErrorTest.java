package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.QueuePairErrorConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link QueuePairErrorConformance} on the native provider. */
class NativeQueuePairErrorTest extends QueuePairErrorConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
