package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.ManyConnectionsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ManyConnectionsConformance} on the tcp provider. */
class TcpManyConnectionsTest extends ManyConnectionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
