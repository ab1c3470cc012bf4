package io.rdmasockets.testsuite.nio;

import java.nio.channels.spi.SelectorProvider;

/** {@link SelectorWakeupConformance} on the JDK's own provider: checks the suite against the reference. */
class JdkSelectorWakeupTest extends SelectorWakeupConformance
{
    @Override
    protected SelectorProvider provider()
    {
        return SelectorProvider.provider();
    }
}
