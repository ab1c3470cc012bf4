package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.CompletionChannelConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link CompletionChannelConformance} on the tcp provider. */
class TcpCompletionChannelTest extends CompletionChannelConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
