package io.rdmasockets.provider.tcp.internal;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The waiting machinery shared by completion channels and CM event channels: a queue of events, a
 * blocking take with timeout (in Java, so it can be woken), a wakeup that is never lost (like an
 * eventfd: it is kept until a take consumes it) and a ready listener.
 *
 * @param <T> the event type.
 *
 * <p><b>Note:</b> thread safe.
 */
final class EventQueue<T>
{
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<T> events = new ArrayDeque<>();
    private boolean wakeupPending;
    private boolean closed;
    private volatile Runnable listener;
    /** Wakes a thread that waits for this queue somewhere else (a {@code DirectWait}'s selector), or null. */
    private volatile Runnable waker;

    /** @param event appended; the listener runs when the queue was empty. */
    void add(final T event)
    {
        final boolean wasEmpty;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            wasEmpty = events.isEmpty();
            events.addLast(event);
            changed.signal();
        }
        finally
        {
            lock.unlock();
        }
        wakeWaker();
        if (wasEmpty)
        {
            notifyListener();
        }
    }

    /**
     * @param timeout 0 returns at once, negative waits without limit.
     * @param unit    unit of the timeout.
     * @return the next event, or {@code null} after timeout, wakeup or close.
     * @throws InterruptedException when interrupted.
     */
    T await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        long remainingNs = timeout < 0 ? Long.MAX_VALUE : unit.toNanos(timeout);
        lock.lockInterruptibly();
        try
        {
            while (true)
            {
                final T event = events.pollFirst();
                if (null != event)
                {
                    return event;
                }
                if (wakeupPending)
                {
                    wakeupPending = false;
                    return null;
                }
                if (closed || remainingNs <= 0)
                {
                    return null;
                }
                if (timeout < 0)
                {
                    changed.await();
                }
                else
                {
                    remainingNs = changed.awaitNanos(remainingNs);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * The non-blocking take of {@link #await}: the next event, else null, and then whether a wakeup (consumed
     * here) or close ends the wait.
     *
     * @param ended set to {@code ended[0] = true} when null is returned for a wakeup or close.
     */
    T poll(final boolean[] ended)
    {
        lock.lock();
        try
        {
            final T event = events.pollFirst();
            if (null == event && (wakeupPending || closed))
            {
                wakeupPending = false;
                ended[0] = true;
            }
            return event;
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @param w run after every event, wakeup and close until cleared (null). */
    void waker(final Runnable w)
    {
        waker = w;
    }

    private void wakeWaker()
    {
        final Runnable w = waker;
        if (null != w)
        {
            w.run();
        }
    }

    boolean hasEvent()
    {
        lock.lock();
        try
        {
            return !events.isEmpty();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** @param event removed from the queue wherever present. @return how many were removed. */
    int removeAll(final T event)
    {
        lock.lock();
        try
        {
            int n = 0;
            while (events.remove(event))
            {
                n++;
            }
            return n;
        }
        finally
        {
            lock.unlock();
        }
    }

    void wakeup()
    {
        lock.lock();
        try
        {
            wakeupPending = true;
            changed.signal();
        }
        finally
        {
            lock.unlock();
        }
        wakeWaker();
        notifyListener();
    }

    void listener(final Runnable listener)
    {
        this.listener = listener;
    }

    void close()
    {
        lock.lock();
        try
        {
            closed = true;
            events.clear();
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        wakeWaker();
    }

    private void notifyListener()
    {
        final Runnable l = listener;
        if (null != l)
        {
            try
            {
                l.run();
            }
            catch (final RuntimeException ignore)
            {
                // A faulty listener must not break the provider thread that delivers events.
            }
        }
    }
}
