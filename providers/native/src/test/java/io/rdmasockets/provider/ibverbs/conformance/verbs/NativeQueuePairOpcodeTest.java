package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.QueuePairOpcodeConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link QueuePairOpcodeConformance} on the native provider. */
class NativeQueuePairOpcodeTest extends QueuePairOpcodeConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
