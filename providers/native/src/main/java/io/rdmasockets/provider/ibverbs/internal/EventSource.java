package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.LibcDescriptors;
import io.rdmasockets.verbs.VerbsException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The waiting machinery of a completion channel or an rdma_cm event channel, over its non-blocking
 * descriptor, in one of two modes:
 * <ul>
 *   <li><b>on demand</b> (completion channels: the data path): a waiter takes with a non-blocking read
 *       ({@link Taker}); finding none, a platform thread blocks in {@code poll(2)} on the descriptor
 *       and an eventfd that {@link #wakeup()} and {@link #close()} signal, so the kernel wakes the
 *       waiter itself, as C's blocking {@code ibv_get_cq_event}; a virtual thread (or any thread with
 *       {@value #PARK_WAITERS_PROP_NAME}) arms the descriptor in the {@link FdPoller} instead and parks
 *       on a condition until the poller reports it readable. While a ready listener is installed the
 *       descriptor is re-armed after every take, so the listener hears of each new event.</li>
 *   <li><b>eager</b> (event channels: the control path): the descriptor stays armed and the poller
 *       thread takes every event as it arrives into a queue, so that what an event must cause happens
 *       even while nobody reads the channel (a DREQ is answered, a queue pair is flushed); waiters take
 *       from the queue and the listener runs when the queue stops being empty.</li>
 * </ul>
 * Every wait is interruptible (a thread in {@code poll} looks every {@value #SLICE_MS} ms), wakeable and
 * released by close (which returns only once no thread polls the descriptor any more), virtual threads
 * are never pinned in native code, and {@link #wakeup()} is kept until a wait consumes it, as with an
 * eventfd.
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
    /** {@code -Drdmasockets.native.parkWaiters=true}: every wait parks in Java, woken by the poller thread. */
    static final String PARK_WAITERS_PROP_NAME = "rdmasockets.native.parkWaiters";
    private static final boolean PARK_WAITERS = Boolean.getBoolean(PARK_WAITERS_PROP_NAME);
    /** Longest a platform thread stays in one {@code poll(2)}: how soon it notices an interrupt. */
    static final int SLICE_MS = 250;
    private static final long POLLFD_SIZE = LibcDescriptors.POLLFD.byteSize();

    private final String what;
    private final int fd;
    private final Taker<T> taker;
    private final boolean eager;
    private final FdPoller poller;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<T> queue = new ArrayDeque<>();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment epollEvent = FdPoller.allocateEvent(arena);
    private final MemorySegment pollfd = arena.allocate(LibcDescriptors.POLLFD);
    private final MemorySegment state = arena.allocate(Ffm.CALL_STATE);
    /** Scratch of the blocking {@code poll}, outside the lock. */
    private final MemorySegment waitState = arena.allocate(Ffm.CALL_STATE);
    /** The descriptor and the wake eventfd, as two {@code struct pollfd}s. */
    private final MemorySegment waitFds = arena.allocate(LibcDescriptors.POLLFD, 2);
    private final MemorySegment wakeScratch = arena.allocate(ValueLayout.JAVA_LONG);
    /** Platform threads wait in {@code poll(2)} (on-demand sources), else they park. */
    private boolean inKernel;
    /** The eventfd that wakes threads in {@code poll(2)}, made on first use; -1 before. */
    private int wakeFd = -1;
    /** The eventfd holds a count not yet drained. */
    private boolean wakeSignalled;
    /** Threads in {@code poll(2)} now. */
    private int directWaiters;
    private boolean wakeupPending;
    private boolean closed;
    private volatile Runnable listener;

    /**
     * Makes the descriptor non-blocking and registers it with the poller.
     *
     * @param what  names the channel in messages.
     * @param fd    the channel's descriptor.
     * @param taker the non-blocking take.
     * @param eager take every event on the poller thread as it arrives (see the class comment).
     * @throws VerbsException when the descriptor cannot be set up.
     */
    EventSource(final String what, final int fd, final Taker<T> taker, final boolean eager) throws VerbsException
    {
        this.what = what;
        this.fd = fd;
        this.taker = taker;
        this.eager = eager;
        this.poller = FdPoller.instance();
        this.inKernel = !eager && !PARK_WAITERS;
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
        if (eager)
        {
            lock.lock();
            try
            {
                arm();
            }
            finally
            {
                lock.unlock();
            }
        }
    }

    /**
     * @param timeout 0 looks once, negative waits without limit.
     * @param unit    the timeout's unit.
     * @return the next event, or {@code null} after the timeout, a wakeup, or close.
     * @throws InterruptedException when the waiting thread is interrupted (noticed within
     *                              {@value #SLICE_MS} ms by a platform thread blocked in {@code poll}).
     */
    T await(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        long remainingNs = timeout < 0 ? Long.MAX_VALUE : unit.toNanos(timeout);
        final boolean platform = !Thread.currentThread().isVirtual();
        lock.lockInterruptibly();
        try
        {
            // A thread that will poll(2) polls before it takes: a take that finds nothing costs a read(2)
            // returning EAGAIN, and poll returns at once when an event is already there.
            boolean pollFirst = inKernel && platform && 0 != timeout;
            while (true)
            {
                if (closed)
                {
                    return null;
                }
                final T event = pollFirst ? null : eager ? queue.pollFirst() : taker.take();
                if (null != event)
                {
                    armForListener();
                    return event;
                }
                if (wakeupPending)
                {
                    consumeWakeup();
                    armForListener();
                    return null;
                }
                if (remainingNs <= 0)
                {
                    armForListener();
                    return null;
                }
                if (inKernel && platform)
                {
                    pollFirst = false;
                    remainingNs = waitInKernel(timeout < 0, remainingNs);
                    continue;
                }
                if (!eager)
                {
                    arm();
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
     * One slice of a platform thread's wait in {@code poll(2)} on the descriptor and the wake eventfd,
     * with the lock released: the kernel wakes this thread itself when the event comes, where a park would
     * wait for the poller thread to hear of it and unpark it (two thread switches and four more system
     * calls per wait, which is most of a blocking round trip's cost under emulation). Called with the lock
     * held; returns with it held.
     *
     * @return the time left to wait (unchanged when something became ready: the caller looks first).
     */
    private long waitInKernel(final boolean forever, final long remainingNs) throws InterruptedException
    {
        if (wakeFd < 0 && !openWakeFd())
        {
            return remainingNs;
        }
        final int timeoutMs = forever ? SLICE_MS : (int)Math.min(SLICE_MS, (remainingNs + 999_999) / 1_000_000);
        directWaiters++;
        lock.unlock();
        int n;
        try
        {
            n = Libc.poll(waitState, waitFds, 2, timeoutMs);
        }
        finally
        {
            lock.lock();
            if (0 == --directWaiters && closed)
            {
                changed.signalAll();
            }
        }
        if (n < 0 && Errno.EINTR.code() != Ffm.errno(waitState))
        {
            LOG.log(System.Logger.Level.ERROR, what + ": poll: " + Errno.nameOf(Ffm.errno(waitState)) +
                "; waits park in Java from now on");
            inKernel = false;
        }
        if (Thread.interrupted())
        {
            throw new InterruptedException();
        }
        // poll slept its whole timeout when nothing was ready: the wait keeps its time without a clock read.
        return 0 == n && !forever ? remainingNs - timeoutMs * 1_000_000L : remainingNs;
    }

    /** Creates the wake eventfd, with the lock held; on failure waits park in Java instead. */
    private boolean openWakeFd()
    {
        final int efd = Libc.eventFd(state);
        if (efd < 0)
        {
            LOG.log(System.Logger.Level.WARNING, what + ": eventfd: " + Errno.nameOf(Ffm.errno(state)) +
                "; waits park in Java");
            inKernel = false;
            return false;
        }
        waitFds.set(ValueLayout.JAVA_INT, LibcDescriptors.POLLFD_FD, fd);
        waitFds.set(ValueLayout.JAVA_SHORT, LibcDescriptors.POLLFD_EVENTS, Libc.POLLIN);
        waitFds.set(ValueLayout.JAVA_INT, POLLFD_SIZE + LibcDescriptors.POLLFD_FD, efd);
        waitFds.set(ValueLayout.JAVA_SHORT, POLLFD_SIZE + LibcDescriptors.POLLFD_EVENTS, Libc.POLLIN);
        wakeFd = efd;
        return true;
    }

    /** Makes the wake eventfd readable, once until drained; with the lock held. */
    private void signalWakeFd()
    {
        if (wakeFd >= 0 && !wakeSignalled)
        {
            if (Libc.eventFdSignal(state, wakeFd, wakeScratch) < 0)
            {
                LOG.log(System.Logger.Level.ERROR, what + ": eventfd write: " + Errno.nameOf(Ffm.errno(state)));
                return;
            }
            wakeSignalled = true;
        }
    }

    /** A wait takes the pending wakeup; with the lock held. */
    private void consumeWakeup()
    {
        wakeupPending = false;
        if (wakeSignalled)
        {
            Libc.eventFdDrain(state, wakeFd, wakeScratch);
            wakeSignalled = false;
        }
    }

    /** @return true when an event is ready to take. */
    boolean hasEvent()
    {
        lock.lock();
        try
        {
            if (closed)
            {
                return false;
            }
            if (eager)
            {
                return !queue.isEmpty();
            }
            final int n = Libc.pollNow(state, pollfd);
            return n > 0 && 0 != (pollfd.get(ValueLayout.JAVA_SHORT, LibcDescriptors.POLLFD_REVENTS) & Libc.POLLIN);
        }
        finally
        {
            lock.unlock();
        }
    }

    /**
     * Takes the queued events that match out of an eager source, e.g. requests nobody will accept now.
     *
     * @param match which.
     * @return the removed events, oldest first.
     */
    List<T> removeQueued(final Predicate<T> match)
    {
        final List<T> removed = new ArrayList<>();
        lock.lock();
        try
        {
            for (final Iterator<T> it = queue.iterator(); it.hasNext(); )
            {
                final T event = it.next();
                if (match.test(event))
                {
                    it.remove();
                    removed.add(event);
                }
            }
        }
        finally
        {
            lock.unlock();
        }
        return removed;
    }

    /** Makes one blocked (or the next) {@link #await} return {@code null}; runs the listener. */
    void wakeup()
    {
        lock.lock();
        try
        {
            wakeupPending = true;
            changed.signal();
            if (directWaiters > 0)
            {
                signalWakeFd();
            }
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
        if (null != l && !eager)
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

    /**
     * Releases waiters and stops watching; the caller destroys the descriptor afterwards.
     *
     * @return the events an eager source had queued and nobody took.
     */
    List<T> close()
    {
        final List<T> left;
        lock.lock();
        try
        {
            if (closed)
            {
                return List.of();
            }
            closed = true;
            left = new ArrayList<>(queue);
            queue.clear();
            changed.signalAll();
            poller.unregister(fd, state);
            if (wakeFd >= 0)
            {
                // Threads in poll(2) leave before the caller destroys the descriptor they watch.
                signalWakeFd();
                while (directWaiters > 0)
                {
                    changed.awaitUninterruptibly();
                }
                Libc.close(state, wakeFd);
                wakeFd = -1;
            }
        }
        finally
        {
            lock.unlock();
        }
        arena.close();
        return left;
    }

    @Override
    public void onReady()
    {
        boolean ready = true;
        lock.lock();
        try
        {
            if (closed)
            {
                return;
            }
            if (eager)
            {
                final boolean wasEmpty = queue.isEmpty();
                for (T event; null != (event = taker.take()); )
                {
                    queue.addLast(event);
                }
                arm();
                ready = wasEmpty && !queue.isEmpty();
            }
            changed.signalAll();
        }
        finally
        {
            lock.unlock();
        }
        if (ready)
        {
            notifyListener();
        }
    }

    private void armForListener()
    {
        if (!eager && null != listener)
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
