package io.rdmasockets.rsocket.posixsuite;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** {@link PollConformance} over the tcp provider. */
class TcpPollTest extends PollConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return Verbs.provider("tcp").orElseThrow();
    }
}
