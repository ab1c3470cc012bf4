package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A blocked wait on a completion channel that reads the sockets itself, as a blocking read on a kernel
 * socket waits in the kernel: the thread waits in a selector of its own on the sockets of the connections
 * feeding the channel's queues (at most {@value #MAX_CONNECTIONS}) and, when one is readable, runs the
 * connection's reader as a busy poller does ({@link InboundControl#fromPoller()}). The completion that reading
 * makes then signals the channel on this thread. Without it every message to a blocked reader took two
 * wake-ups: the reactor's, then the reader's (a blocking 64 B round trip on loopback about 5x the JDK's).
 *
 * <p>The reactor still reads whenever nobody polls (a poller's grace ends, or this wait gives up: a stream
 * stalled for a receive, too many connections, a virtual thread, no selector), so the wait is an
 * optimisation only: events, wakeups and close reach it through the queue's waker.
 *
 * <p><b>Note:</b> one thread at a time ({@link #lock}); others park on the event queue as before.
 */
final class DirectWait
{
    /** More connections than this and the wait parks: registering and polling them all costs more. */
    static final int MAX_CONNECTIONS = 4;
    /** {@link #await}'s answer when it could not wait here: park on the queue for the time left. */
    static final Object GIVE_UP = new Object();

    private final EventQueue<TcpCompletionQueue> events;
    private final ReentrantLock lock = new ReentrantLock();
    private final TcpConnection[] connections = new TcpConnection[MAX_CONNECTIONS];
    private final boolean[] ended = new boolean[1];
    private final Runnable wake = this::wake;
    /** Every connection is looked at after each select anyway. */
    private static final java.util.function.Consumer<SelectionKey> IGNORE = key -> { };
    /** Opened on first use; guarded by {@link #lock}. */
    private Selector selector;
    private volatile boolean closed;
    /** The thread in {@link #await}: its own events need no selector wakeup (a system call). */
    private volatile Thread waiter;

    DirectWait(final EventQueue<TcpCompletionQueue> events)
    {
        this.events = events;
    }

    /** @return the lock a waiter must hold (tryLock) around {@link #await}. */
    ReentrantLock lock()
    {
        return lock;
    }

    /**
     * Waits for the next event, reading the sockets of {@code queues}' connections; with {@link #lock} held.
     *
     * @param queues    the channel's completion queues.
     * @param timeoutNs negative: no limit.
     * @return an event, null after timeout, wakeup or close, or {@link #GIVE_UP}; on every answer but an
     *         event (and on interrupt) the caller must hand reading back to the reactor.
     * @throws InterruptedException when interrupted.
     */
    Object await(final TcpCompletionQueue[] queues, final long timeoutNs) throws InterruptedException
    {
        final int n = collect(queues);
        if (0 == n || closed)
        {
            return GIVE_UP;
        }
        final Selector sel = selector(n);
        if (null == sel)
        {
            return GIVE_UP;
        }
        final long deadline = timeoutNs < 0 ? 0 : System.nanoTime() + timeoutNs;
        waiter = Thread.currentThread();
        events.waker(wake);
        try
        {
            while (true)
            {
                ended[0] = false;
                TcpCompletionQueue event = events.poll(ended);
                if (null != event || ended[0])
                {
                    return event;
                }
                for (int i = 0; i < n; i++)
                {
                    if (!connections[i].progressFromPoller())
                    {
                        return GIVE_UP;
                    }
                }
                event = events.poll(ended);
                if (null != event || ended[0])
                {
                    return event;
                }
                for (int i = 0; i < n; i++)
                {
                    connections[i].flushBeforeWait();
                }
                long waitMs = 0;
                if (0 != deadline)
                {
                    final long leftNs = deadline - System.nanoTime();
                    if (leftNs <= 0)
                    {
                        return null;
                    }
                    waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs + 999_999));
                }
                watching(n, true);
                try
                {
                    // The action form: adding to the selected-key set allocates a hash node per ready key.
                    sel.select(IGNORE, waitMs);
                }
                finally
                {
                    watching(n, false);
                }
                if (Thread.interrupted())
                {
                    throw new InterruptedException();
                }
            }
        }
        catch (final IOException | ClosedSelectorException | CancelledKeyException e)
        {
            return GIVE_UP;
        }
        finally
        {
            events.waker(null);
            waiter = null;
            for (int i = 0; i < n; i++)
            {
                connections[i] = null;
            }
        }
    }

    private void watching(final int n, final boolean watching)
    {
        for (int i = 0; i < n; i++)
        {
            connections[i].waiterWatching(watching);
        }
    }

    /** @return how many connections feed the queues, into {@link #connections}; 0 when none or too many. */
    private int collect(final TcpCompletionQueue[] queues)
    {
        int n = 0;
        for (final TcpCompletionQueue q : queues)
        {
            for (final TcpConnection c : q.feeders())
            {
                if (contains(n, c))
                {
                    // Its send and receive queues both report here.
                    continue;
                }
                if (n == MAX_CONNECTIONS)
                {
                    java.util.Arrays.fill(connections, null);
                    return 0;
                }
                connections[n++] = c;
            }
        }
        return n;
    }

    private boolean contains(final int n, final TcpConnection c)
    {
        for (int i = 0; i < n; i++)
        {
            if (connections[i] == c)
            {
                return true;
            }
        }
        return false;
    }

    /** @return the selector with exactly the collected connections' sockets registered, or null. */
    private Selector selector(final int n)
    {
        try
        {
            Selector sel = selector;
            if (null == sel)
            {
                sel = PlatformSelectorProvider.get().openSelector();
                selector = sel;
            }
            if (sel.keys().size() != n || !allRegistered(sel, n))
            {
                for (final SelectionKey k : sel.keys())
                {
                    k.cancel();
                }
                sel.selectNow();
                for (int i = 0; i < n; i++)
                {
                    connections[i].socket().register(sel, SelectionKey.OP_READ, connections[i]);
                }
            }
            return sel;
        }
        catch (final IOException | ClosedSelectorException | CancelledKeyException e)
        {
            // IOException includes the ClosedChannelException of a socket closed meanwhile.
            return null;
        }
    }

    private boolean allRegistered(final Selector sel, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final SelectionKey k = connections[i].socket().keyFor(sel);
            if (null == k || !k.isValid())
            {
                return false;
            }
        }
        return true;
    }

    private void wake()
    {
        final Selector sel = selector;
        // The waiter's own reads signal the channel on its thread: it looks at the queue before it selects.
        if (null != sel && waiter != Thread.currentThread())
        {
            sel.wakeup();
        }
    }

    /** Closes the selector once no thread waits in it; the channel's event queue is closed first. */
    void close()
    {
        closed = true;
        wake();
        lock.lock();
        try
        {
            final Selector sel = selector;
            selector = null;
            if (null != sel)
            {
                sel.close();
            }
        }
        catch (final IOException ignored)
        {
            // Nothing to release then.
        }
        finally
        {
            lock.unlock();
        }
    }
}
