package io.rdmasockets.nio.channels;

import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;

/**
 * A channel that is always a kernel one (pipe ends, datagram channels): its JDK delegate is registered in the
 * {@link HybridSelector}'s inner selector from the start, and no rsocket poll events apply to it.
 */
interface KernelChannel extends HybridChannel
{
    /** @return the keys of this channel. */
    KeyList keys();

    @Override
    default StreamRsocket rsocket()
    {
        return null;
    }

    @Override
    default int readyOps(final int events, final int interest)
    {
        return 0;
    }

    @Override
    default void keyAdded(final HybridKey key)
    {
        keys().add(key);
    }

    @Override
    default void keyRemoved(final HybridKey key)
    {
        keys().remove(key);
    }

    /**
     * For a call on the delegate that failed: when an interrupt or an asynchronous close ended it (the JDK
     * closed the delegate), closes {@code channel} too, as the JDK's own channel is closed then.
     *
     * @param channel the channel of this provider.
     * @param e       the delegate's failure.
     * @param <E>     its type.
     * @return {@code e}, to throw.
     */
    static <E extends IOException> E closedBy(final java.nio.channels.Channel channel, final E e)
    {
        if (e instanceof java.nio.channels.AsynchronousCloseException)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // The delegate is closed already; closing ours only releases its keys.
            }
        }
        return e;
    }

    /**
     * {@code implConfigureBlocking} of such a channel: as the JDK, a channel going blocking must have no key
     * left, so keys cancelled but not yet deregistered go first.
     *
     * @param channel the channel.
     * @param block   the new mode.
     * @throws IOException from the delegate.
     */
    static void configureBlocking(final KernelChannel channel, final boolean block) throws IOException
    {
        if (block)
        {
            channel.keys().releaseCancelled();
        }
        channel.kernel().configureBlocking(block);
    }
}
