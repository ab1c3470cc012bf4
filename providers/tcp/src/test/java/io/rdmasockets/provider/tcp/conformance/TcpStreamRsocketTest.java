package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.engine.StreamRsocketConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link StreamRsocketConformance} on the tcp provider. */
class TcpStreamRsocketTest extends StreamRsocketConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
