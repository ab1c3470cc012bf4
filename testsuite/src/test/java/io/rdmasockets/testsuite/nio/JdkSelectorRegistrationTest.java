package io.rdmasockets.testsuite.nio;

import java.nio.channels.spi.SelectorProvider;

/** {@link SelectorRegistrationConformance} on the JDK's own provider: checks the suite against the reference. */
class JdkSelectorRegistrationTest extends SelectorRegistrationConformance
{
    @Override
    protected SelectorProvider provider()
    {
        return SelectorProvider.provider();
    }
}
