package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.QueuePairErrorConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link QueuePairErrorConformance} on the tcp provider. */
class TcpQueuePairErrorTest extends QueuePairErrorConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
