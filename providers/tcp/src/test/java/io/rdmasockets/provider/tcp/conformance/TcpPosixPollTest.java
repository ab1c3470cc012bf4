package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.PollConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link PollConformance} on the tcp provider. */
class TcpPosixPollTest extends PollConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
