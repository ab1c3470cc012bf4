package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.engine.KeepaliveConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link KeepaliveConformance} on the native provider. */
class NativeKeepaliveTest extends KeepaliveConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
