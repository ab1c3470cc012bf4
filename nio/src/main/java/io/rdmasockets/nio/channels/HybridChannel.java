package io.rdmasockets.nio.channels;

import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.nio.channels.SelectableChannel;

/**
 * What the {@link HybridSelector} needs of a channel: its stack once decided, and how rsocket poll events
 * become ready operations.
 */
interface HybridChannel
{
    /** @return the JDK channel a kernel socket delegates to, or null (an rsocket, or not decided yet). */
    SelectableChannel kernel();

    /** @return the rsocket, or null (a kernel socket, or not decided yet). */
    StreamRsocket rsocket();

    /**
     * Translates an rsocket's poll events, as the JDK translates poll(2) events for its own channels: an
     * error or hang-up makes every interest operation ready; the rest depend on the channel's state.
     *
     * @param events   {@link StreamRsocket#pollEvents()}.
     * @param interest the key's interest set.
     * @return the ready operations.
     */
    int readyOps(int events, int interest);

    /**
     * Operations ready because of what the channel holds itself, which no poll reports: bytes read before a
     * plain TCP connection was handed over ({@link io.rdmasockets.verbs.cm.PlainTcpConnection#received()}),
     * or the outcome of a TCP fallback connect that ended at once. Asked of kernel channels at each select
     * and before each wait; such readiness only arises inside a select (the fallback happens there) or goes
     * away, so a blocked select need not be woken for it.
     *
     * @param interest the key's interest set.
     * @return the ready operations.
     */
    default int pendingOps(final int interest)
    {
        return 0;
    }

    /**
     * Notes a key of this channel, so that the selectors learn when its stack is decided.
     *
     * @param key the key.
     */
    default void keyAdded(HybridKey key)
    {
        // Only channels whose stack is decided later need to know their keys.
    }

    /**
     * Forgets a key of this channel.
     *
     * @param key the key.
     */
    default void keyRemoved(HybridKey key)
    {
    }
}
