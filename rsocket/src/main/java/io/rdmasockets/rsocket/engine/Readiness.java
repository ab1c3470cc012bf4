package io.rdmasockets.rsocket.engine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import static io.rdmasockets.rsocket.engine.RsocketState.*;
import static io.rdmasockets.rsocket.engine.StreamRsocket.POLLERR;
import static io.rdmasockets.rsocket.engine.StreamRsocket.POLLHUP;
import static io.rdmasockets.rsocket.engine.StreamRsocket.POLLIN;
import static io.rdmasockets.rsocket.engine.StreamRsocket.POLLNVAL;
import static io.rdmasockets.rsocket.engine.StreamRsocket.POLLOUT;

/**
 * What {@code rpoll} sees of one stream rsocket (wire-protocol doc section 4.5): its poll events, and the
 * pollers to wake whenever they may have changed ({@link PollWaiter}), kept as bits of one {@code long} so
 * that watching and waking allocate nothing.
 *
 * <p><b>Note:</b> thread safe; {@link #signal()} runs on provider and service threads and never blocks.
 */
final class Readiness
{
    private static final VarHandle WATCHERS;

    static
    {
        try
        {
            WATCHERS = MethodHandles.lookup().findVarHandle(Readiness.class, "watchers", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final StreamRsocket socket;
    /** Bits of the {@link PollWaiter}s watching the socket; see {@link #watch}. */
    private volatile long watchers;

    Readiness(final StreamRsocket socket)
    {
        this.socket = socket;
    }

    /**
     * Readiness as {@code rpoll} reports it, without waiting: makes progress on the completion queue first.
     *
     * @param arm whether the caller is about to sleep: arm the completion queue so that the next
     *            completion wakes the watchers ({@link StreamRsocket#pollArm()}).
     * @return the poll events, as {@link StreamRsocket#pollEvents()}.
     */
    int poll(final boolean arm)
    {
        final int s = socket.state;
        if (0 != (s & CLOSED))
        {
            return POLLNVAL;
        }
        if (LISTENING == s)
        {
            return socket.acceptor.hasQueued() ? POLLIN : 0;
        }
        if (CONNECT_ERROR == s)
        {
            return POLLIN | POLLOUT | POLLERR;
        }
        final DataPath d = socket.data;
        if (null == d || 0 == (s & (CONNECTED | DISCONNECTED | ERROR)))
        {
            return 0;
        }
        d.stateLock().lock();
        try
        {
            if (socket.closed.get())
            {
                return POLLNVAL;
            }
            if (arm)
            {
                d.progress.armForPoll();
            }
            int events = d.progress.readiness();
            final int now = socket.state;
            if (0 == (now & CONNECTED))
            {
                events |= DISCONNECTED == now ? POLLHUP : POLLERR;
            }
            return events;
        }
        finally
        {
            d.stateLock().unlock();
        }
    }

    /**
     * Starts waking {@code waiter} whenever the socket's readiness may change; watching again is harmless.
     *
     * @param waiter the poller.
     */
    void watch(final PollWaiter waiter)
    {
        WATCHERS.getAndBitwiseOr(this, waiter.bit());
    }

    /**
     * Stops waking {@code waiter}. A waiter that shares its bit leaves it set: the others may still watch.
     *
     * @param waiter the poller.
     */
    void unwatch(final PollWaiter waiter)
    {
        if (!waiter.shared())
        {
            WATCHERS.getAndBitwiseAnd(this, ~waiter.bit());
        }
    }

    /** Wakes the pollers watching the socket: its readiness may have changed. */
    void signal()
    {
        final long w = watchers;
        if (0 != w)
        {
            PollWaiter.wakeAll(w);
        }
    }
}
