package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.PeerFailureConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link PeerFailureConformance} on the native provider. */
class NativePeerFailureTest extends PeerFailureConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
