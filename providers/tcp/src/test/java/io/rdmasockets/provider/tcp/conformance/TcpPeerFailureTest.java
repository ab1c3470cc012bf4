package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.PeerFailureConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link PeerFailureConformance} on the tcp provider. */
class TcpPeerFailureTest extends PeerFailureConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
