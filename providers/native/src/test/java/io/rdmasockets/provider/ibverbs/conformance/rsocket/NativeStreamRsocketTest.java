package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.engine.StreamRsocketConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link StreamRsocketConformance} on the native provider. */
class NativeStreamRsocketTest extends StreamRsocketConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
