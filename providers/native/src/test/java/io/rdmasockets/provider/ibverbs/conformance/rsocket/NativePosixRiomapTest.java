package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.posix.RiomapConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RiomapConformance} on the native provider. */
class NativePosixRiomapTest extends RiomapConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
