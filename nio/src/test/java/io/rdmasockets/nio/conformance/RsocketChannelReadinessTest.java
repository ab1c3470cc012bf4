package io.rdmasockets.nio.conformance;

import io.rdmasockets.nio.RdmaSelectorProvider;
import io.rdmasockets.nio.Router;
import io.rdmasockets.testsuite.nio.ChannelReadinessConformance;

import java.nio.channels.spi.SelectorProvider;

/** {@link ChannelReadinessConformance} on {@link RdmaSelectorProvider}: every socket an rsocket (tcp verbs provider). */
class RsocketChannelReadinessTest extends ChannelReadinessConformance
{
    private static final SelectorProvider PROVIDER = new RdmaSelectorProvider(Router.allRsockets());

    @Override
    protected SelectorProvider provider()
    {
        return PROVIDER;
    }
}
