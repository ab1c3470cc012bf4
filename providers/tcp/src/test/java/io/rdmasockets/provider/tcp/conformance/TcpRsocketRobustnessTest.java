package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.engine.RsocketRobustnessConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RsocketRobustnessConformance} on the tcp provider. */
class TcpRsocketRobustnessTest extends RsocketRobustnessConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
