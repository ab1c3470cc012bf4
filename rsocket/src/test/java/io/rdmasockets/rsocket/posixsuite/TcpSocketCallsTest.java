package io.rdmasockets.rsocket.posixsuite;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** {@link SocketCallsConformance} over the tcp provider. */
class TcpSocketCallsTest extends SocketCallsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return Verbs.provider("tcp").orElseThrow();
    }
}
