package io.rdmasockets.nio.conformance;

import io.rdmasockets.nio.RdmaSelectorProvider;
import io.rdmasockets.nio.Router;
import io.rdmasockets.testsuite.nio.SelectorReadinessConformance;

import java.nio.channels.spi.SelectorProvider;

/** {@link SelectorReadinessConformance} on {@link RdmaSelectorProvider}: every socket an rsocket (tcp verbs provider). */
class RsocketSelectorReadinessTest extends SelectorReadinessConformance
{
    private static final SelectorProvider PROVIDER = new RdmaSelectorProvider(Router.allRsockets());

    @Override
    protected SelectorProvider provider()
    {
        return PROVIDER;
    }
}
