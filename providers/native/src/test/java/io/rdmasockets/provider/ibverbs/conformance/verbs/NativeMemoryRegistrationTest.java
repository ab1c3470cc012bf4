package io.rdmasockets.provider.ibverbs.conformance.verbs;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.verbs.MemoryRegistrationConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link MemoryRegistrationConformance} on the native provider. */
class NativeMemoryRegistrationTest extends MemoryRegistrationConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
