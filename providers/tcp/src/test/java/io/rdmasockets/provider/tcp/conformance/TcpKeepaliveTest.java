package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.engine.KeepaliveConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link KeepaliveConformance} on the tcp provider. */
class TcpKeepaliveTest extends KeepaliveConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
