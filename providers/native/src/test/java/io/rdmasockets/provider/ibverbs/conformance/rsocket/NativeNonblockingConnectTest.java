package io.rdmasockets.provider.ibverbs.conformance.rsocket;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.rsocket.engine.NonblockingConnectConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link NonblockingConnectConformance} on the native provider. */
class NativeNonblockingConnectTest extends NonblockingConnectConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }
}
