package io.rdmasockets.rsocket.options;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** {@link SocketOptionsConformance} over the tcp provider. */
class TcpSocketOptionsTest extends SocketOptionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return Verbs.provider("tcp").orElseThrow();
    }
}
