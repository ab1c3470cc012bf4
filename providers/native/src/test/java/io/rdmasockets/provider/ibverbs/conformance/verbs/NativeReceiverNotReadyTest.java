package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.ReceiverNotReadyConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ReceiverNotReadyConformance} on the native provider. */
class NativeReceiverNotReadyTest extends ReceiverNotReadyConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
