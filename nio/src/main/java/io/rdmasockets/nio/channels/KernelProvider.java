package io.rdmasockets.nio.channels;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;

import java.nio.channels.spi.SelectorProvider;

/** The JDK's own provider, for kernel sockets, pipes and the selector inside a {@link HybridSelector}. */
final class KernelProvider
{
    private KernelProvider()
    {
    }

    /** @return see {@link PlatformSelectorProvider#get()}. */
    static SelectorProvider get()
    {
        return PlatformSelectorProvider.get();
    }
}
