package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.QueuePairOpcodeConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link QueuePairOpcodeConformance} on the tcp provider. */
class TcpQueuePairOpcodeTest extends QueuePairOpcodeConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
