package io.rdmasockets.nio.conformance;

import io.rdmasockets.nio.RdmaSelectorProvider;
import io.rdmasockets.nio.Router;
import io.rdmasockets.testsuite.nio.SelectorRegistrationConformance;

import java.nio.channels.spi.SelectorProvider;

/** {@link SelectorRegistrationConformance} on {@link RdmaSelectorProvider}: every socket a kernel one, through the provider's wrappers. */
class KernelSelectorRegistrationTest extends SelectorRegistrationConformance
{
    private static final SelectorProvider PROVIDER = new RdmaSelectorProvider(Router.noRsockets());

    @Override
    protected SelectorProvider provider()
    {
        return PROVIDER;
    }
}
