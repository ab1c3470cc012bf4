package io.rdmasockets.testsuite.nio;

import java.nio.channels.spi.SelectorProvider;

/** {@link SelectorReadinessConformance} on the JDK's own provider: checks the suite against the reference. */
class JdkSelectorReadinessTest extends SelectorReadinessConformance
{
    @Override
    protected SelectorProvider provider()
    {
        return SelectorProvider.provider();
    }
}
