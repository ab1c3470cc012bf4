package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.engine.RsocketRobustnessConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RsocketRobustnessConformance} on the native provider. */
class NativeRsocketRobustnessTest extends RsocketRobustnessConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
