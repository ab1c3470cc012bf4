package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.QueuePairOrderingConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link QueuePairOrderingConformance} on the tcp provider. */
class TcpQueuePairOrderingTest extends QueuePairOrderingConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
