package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.NetworkNamespaceConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link NetworkNamespaceConformance} on the tcp provider. */
class TcpNetworkNamespaceTest extends NetworkNamespaceConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
