package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.engine.SharedTcpPortConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link SharedTcpPortConformance} on the native provider. */
class NativeSharedTcpPortTest extends SharedTcpPortConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
