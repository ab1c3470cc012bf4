package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.ConnectionManagerConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ConnectionManagerConformance} on the tcp provider. */
class TcpConnectionManagerTest extends ConnectionManagerConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
