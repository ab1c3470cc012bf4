package io.rdmasockets.nio.conformance;

import io.rdmasockets.nio.RdmaSelectorProvider;
import io.rdmasockets.nio.Router;
import io.rdmasockets.testsuite.nio.SelectorWakeupConformance;

import java.nio.channels.spi.SelectorProvider;

/** {@link SelectorWakeupConformance} on {@link RdmaSelectorProvider}: every socket a kernel one, through the provider's wrappers. */
class KernelSelectorWakeupTest extends SelectorWakeupConformance
{
    private static final SelectorProvider PROVIDER = new RdmaSelectorProvider(Router.noRsockets());

    @Override
    protected SelectorProvider provider()
    {
        return PROVIDER;
    }
}
