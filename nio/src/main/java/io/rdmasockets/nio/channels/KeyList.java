package io.rdmasockets.nio.channels;

import java.nio.channels.SelectionKey;
import java.util.concurrent.CopyOnWriteArrayList;

/** The keys of one channel in {@link HybridSelector}s, until each selector deregisters its key. */
final class KeyList
{
    private final CopyOnWriteArrayList<HybridKey> keys = new CopyOnWriteArrayList<>();

    void add(final HybridKey key)
    {
        keys.add(key);
    }

    void remove(final HybridKey key)
    {
        keys.remove(key);
    }

    /** Makes every selector holding a key look at it again: the channel's stack was decided. */
    void rescan()
    {
        for (final HybridKey key : keys)
        {
            key.selector.rescan();
        }
    }

    /**
     * Cancels, in the JDK selectors, the delegate keys of keys already cancelled here. A cancelled key is
     * deregistered at the selector's next operation, but the JDK lets a channel whose keys are all cancelled
     * become blocking at once (the JDK's HttpServer does exactly that): its delegate must not still hold a
     * valid key then.
     */
    void releaseCancelled()
    {
        for (final HybridKey key : keys)
        {
            final SelectionKey inner = key.innerKey;
            if (!key.isValid() && null != inner)
            {
                inner.cancel();
            }
        }
    }
}
