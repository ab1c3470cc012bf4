package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.ReceiverNotReadyConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ReceiverNotReadyConformance} on the tcp provider. */
class TcpReceiverNotReadyTest extends ReceiverNotReadyConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
