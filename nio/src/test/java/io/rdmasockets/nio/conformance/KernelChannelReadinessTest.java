package io.rdmasockets.nio.conformance;

import io.rdmasockets.nio.RdmaSelectorProvider;
import io.rdmasockets.nio.Router;
import io.rdmasockets.testsuite.nio.ChannelReadinessConformance;

import java.nio.channels.spi.SelectorProvider;

/** {@link ChannelReadinessConformance} on {@link RdmaSelectorProvider}: every socket a kernel one, through the provider's wrappers. */
class KernelChannelReadinessTest extends ChannelReadinessConformance
{
    private static final SelectorProvider PROVIDER = new RdmaSelectorProvider(Router.noRsockets());

    @Override
    protected SelectorProvider provider()
    {
        return PROVIDER;
    }
}
