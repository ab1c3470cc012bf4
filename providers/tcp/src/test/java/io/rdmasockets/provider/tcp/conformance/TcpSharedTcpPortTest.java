package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.engine.SharedTcpPortConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link SharedTcpPortConformance} on the tcp provider. */
class TcpSharedTcpPortTest extends SharedTcpPortConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
