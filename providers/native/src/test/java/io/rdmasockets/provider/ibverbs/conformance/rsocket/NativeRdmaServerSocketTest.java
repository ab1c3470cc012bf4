package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.RdmaServerSocketConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaServerSocketConformance} on the native provider. */
class NativeRdmaServerSocketTest extends RdmaServerSocketConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
