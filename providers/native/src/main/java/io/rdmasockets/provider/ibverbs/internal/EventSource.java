package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.LibcDescriptors;
import io.rdmasockets.verbs.VerbsException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The waiting machinery of a completion channel or an rdma_cm event channel, over its non-blocking
 * descriptor: events are taken with a non-blocking read ({@link Taker}); a waiter that finds none arms
 * the descriptor in the {@link FdPoller} and parks on a condition (in Java: interruptible, wakeable,
 * released by close, never pinned in native code). {@link #wakeup()} is kept until a take consumes it,
 * as with an eventfd. The ready listener runs on the poller thread when an armed descriptor becomes
 * readable; while one is installed the descriptor is re-armed after every take, so it hears about each
 * transition from no event to an event.
 *
 * @param <T> what a take returns.
 *
 * <p><b>Note:</b> thread safe. Takes run with the lock held, so a take never races {@link #close()}.
 */
final class EventSource<T> implements FdPoller.Watch
{
    /** A non-blocking take, called with the lock held. */
    interface Taker<T>
    {
        /** @return the next event, or {@code null} when none is ready. */
        T take();
    }

    private static final System.Logger LOG = System.getLogger(EventSource.class.getName());

    private final String what;
    private final int fd;
    private final Taker<T> taker;
    private final FdPoller poller;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment epollEvent = FdPoller.allocateEvent(arena);
    private final MemorySegment pollfd = arena.allocate(LibcDescriptors.POLLFD);
    private final MemorySegment state = arena.allocate(Ffm.CALL_STATE);
    private boolean wakeupPending;
    private boolean closed;
    private volatile Runnable listener;

    /**
     * Makes the descriptor non-blocking and registers it with the poller.
     *
     * @param what  names the channel in messages.
     * @param fd    the channel's descriptor.
     * @param taker the non-blocking take.
     * @throws VerbsException when the descriptor cannot be set up.
     */
    EventSource(final String what, final int fd, final Taker<T> taker) throws VerbsException
    {
        this.what = what;
        this.fd = fd;
        this.taker = taker;
        this.poller = FdPoller.instance();
        pollfd.set(ValueLayout.JAVA_INT, LibcDescriptors.POLLFD_FD, fd);
        pollfd.set(ValueLayout.JAVA_SHORT, LibcDescriptors.POLLFD_EVENTS, Libc.POLLIN);
        int errno = Libc.setNonBlocking(fd);
        if (0 == errno)
        {
            errno = poller.register(fd, this, epollEvent, state);
        }
        if (0 != errno)
        {
            arena.close();
            throw Ffm.failure(what + ": cannot watch descriptor " + fd, errno);
        }
    }

    /**
     * @param timeout 0 looks once, negative waits without limit.
     * @param unit    the timeout's unit.
     * @return the next event, or {@code null} after the timeout, a wakeup, or close.
     * @throws InterruptedException when the waiting thread is interrupted.
     */
    T await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        long remainingNs = timeout < 0 ? Long.MAX_VALUE : unit.toNanos(timeout);
        lock.lockInterruptibly();
        try
        {
            while (true)
            {
                if (closed)
                {
                    return null;
                }
                final T event = taker.take();
                if (null != event)
                {
                    armForListener();
                    return event;
                }
                if (wakeupPending)
                {
                    wakeupPending = false;
                    armForListener();
                    return null;
                }
                if (remainingNs <= 0)
                {
                    armForListener();
                    return null;
                }
                arm();
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

    /** @return true when an event is ready to take (the descriptor is readable). */
    boolean hasEvent()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return false;
            }
            final int n = Libc.pollNow(state, pollfd);
            return n > 0 && 0 != (pollfd.get(ValueLayout.JAVA_SHORT, LibcDescriptors.POLLFD_REVENTS) & Libc.POLLIN);
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Makes one blocked (or the next) {@link #await} return {@code null}; runs the listener. */
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
        notifyListener();
    }

    /** @param l the listener, or {@code null}; an installed listener hears about an event already ready. */
    void listener(final Runnable l)
    {
        listener = l;
        if (null != l)
        {
            lock.lock();
            try
            {
                if (!closed)
                {
                    arm();
                }
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * Runs an action that must not overlap a take (e.g. destroying a queue the channel reports).
     *
     * @param action the action.
     * @throws VerbsException as the action throws.
     */
    void runLocked(final NativeAction action) throws VerbsException
    {
        lock.lock();
        try
        {
            action.run();
        }
        finally
        {
            lock.unlock();
        }
    }

    /** Releases waiters and stops watching; the caller destroys the descriptor afterwards. */
    void close()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            closed = true;
            changed.signalAll();
            poller.unregister(fd, state);
        }
        finally
        {
            lock.unlock();
        }
        arena.close();
    }

    @Override
    public void onReady()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        notifyListener();
    }

    private void armForListener()
    {
        if (null != listener)
        {
            arm();
        }
    }

    private void arm()
    {
        final int errno = poller.arm(fd, epollEvent, state);
        if (0 != errno)
        {
            LOG.log(System.Logger.Level.ERROR, what + ": epoll_ctl(EPOLL_CTL_MOD, " + fd + "): " + Errno.nameOf(errno));
        }
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
            catch (final RuntimeException e)
            {
                LOG.log(System.Logger.Level.WARNING, what + ": ready listener failed", e);
            }
        }
    }
}
