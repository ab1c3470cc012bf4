package io.rdmasockets.rsocket.posixsuite;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** {@link DataCallsConformance} over the tcp provider. */
class TcpDataCallsTest extends DataCallsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return Verbs.provider("tcp").orElseThrow();
    }
}
