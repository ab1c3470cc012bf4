package io.rdmasockets.testsuite.nio;

import java.nio.channels.spi.SelectorProvider;

/** {@link ChannelReadinessConformance} on the JDK's own provider: checks the suite against the reference. */
class JdkChannelReadinessTest extends ChannelReadinessConformance
{
    @Override
    protected SelectorProvider provider()
    {
        return SelectorProvider.provider();
    }
}
