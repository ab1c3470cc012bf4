package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.LibcDescriptors;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The provider's one poller thread: an epoll set over the completion-channel and rdma_cm descriptors,
 * so that waiters block in Java (interruptible, virtual-thread friendly, released by close) and ready
 * listeners run on a provider thread. Each descriptor is registered disarmed ({@code EPOLLONESHOT});
 * whoever wants to hear about the next event arms it, and a report disarms it again, so a descriptor
 * that stays readable until someone reads it never spins the poller.
 *
 * <p>epoll needs no wakeup of its own: {@code epoll_ctl} from any thread takes effect in a running
 * {@code epoll_wait}. The thread is a daemon and lives as long as the JVM.
 *
 * <p><b>Note:</b> thread safe.
 */
final class FdPoller
{
    /** What the poller reports to, on its own thread; must be quick and must not block. */
    interface Watch
    {
        /** The descriptor became readable (or failed) while armed; it is disarmed now. */
        void onReady();
    }

    private static final int MAX_EVENTS = 64;
    private static final System.Logger LOG = System.getLogger(FdPoller.class.getName());
    private static FdPoller instance;

    private final int epfd;
    /** Watches by descriptor number: the epoll data is the descriptor. Copied on write. */
    private volatile Watch[] watches = new Watch[64];

    private FdPoller(final int epfd)
    {
        this.epfd = epfd;
    }

    /**
     * @return the poller, started on first use.
     * @throws IllegalStateException when epoll is unavailable (not on Linux).
     */
    static synchronized FdPoller instance()
    {
        if (null == instance)
        {
            final MemorySegment state = Arena.global().allocate(Ffm.CALL_STATE);
            final int epfd = Libc.epollCreate(state);
            if (epfd < 0)
            {
                throw new IllegalStateException("epoll_create1: " + Errno.nameOf(Ffm.errno(state)));
            }
            final FdPoller poller = new FdPoller(epfd);
            Thread.ofPlatform().daemon().name("rdmasockets-native-poller").start(poller::run);
            instance = poller;
        }
        return instance;
    }

    /** @return an {@code epoll_event} for {@link #register}/{@link #arm}, owned by one watch. */
    static MemorySegment allocateEvent(final Arena arena)
    {
        return arena.allocate(LibcDescriptors.EPOLL_EVENT);
    }

    /**
     * Adds a descriptor, disarmed.
     *
     * @param fd    the descriptor.
     * @param watch what to tell.
     * @param event the watch's own {@code epoll_event} scratch memory.
     * @param state errno capture.
     * @return 0, or the errno.
     */
    synchronized int register(final int fd, final Watch watch, final MemorySegment event, final MemorySegment state)
    {
        Watch[] w = watches;
        if (fd >= w.length)
        {
            w = Arrays.copyOf(w, Math.max(fd + 1, w.length * 2));
        }
        else
        {
            w = w.clone();
        }
        w[fd] = watch;
        watches = w;
        if (Libc.epollCtl(state, epfd, Libc.EPOLL_CTL_ADD, fd, fill(event, fd, Libc.EPOLLONESHOT)) < 0)
        {
            final int errno = Ffm.errno(state);
            unregister(fd, state);
            return errno;
        }
        return 0;
    }

    /**
     * Arms a registered descriptor for one report; if it is readable already, the report comes at once.
     * The caller serialises arming of one descriptor (its {@code event} memory is reused).
     *
     * @return 0, or the errno.
     */
    int arm(final int fd, final MemorySegment event, final MemorySegment state)
    {
        if (Libc.epollCtl(state, epfd, Libc.EPOLL_CTL_MOD, fd, fill(event, fd, Libc.EPOLLIN | Libc.EPOLLONESHOT)) < 0)
        {
            return Ffm.errno(state);
        }
        return 0;
    }

    /** Removes a descriptor before it is closed; a report already taken from epoll may still arrive. */
    synchronized void unregister(final int fd, final MemorySegment state)
    {
        Libc.epollCtl(state, epfd, Libc.EPOLL_CTL_DEL, fd, MemorySegment.NULL);
        final Watch[] w = watches.clone();
        if (fd < w.length)
        {
            w[fd] = null;
        }
        watches = w;
    }

    private static MemorySegment fill(final MemorySegment event, final int fd, final int events)
    {
        event.set(ValueLayout.JAVA_INT_UNALIGNED, LibcDescriptors.EPOLL_EVENTS, events);
        event.set(ValueLayout.JAVA_LONG_UNALIGNED, LibcDescriptors.EPOLL_DATA, fd);
        return event;
    }

    private void run()
    {
        final long size = LibcDescriptors.EPOLL_EVENT.byteSize();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment events = arena.allocate(size * MAX_EVENTS, 8);
            final MemorySegment state = arena.allocate(Ffm.CALL_STATE);
            while (true)
            {
                final int n = Libc.epollWait(state, epfd, events, MAX_EVENTS, -1);
                if (n < 0)
                {
                    if (Errno.EINTR.code() != Ffm.errno(state))
                    {
                        LOG.log(System.Logger.Level.ERROR, "epoll_wait: " + Errno.nameOf(Ffm.errno(state)));
                        sleepQuietly();
                    }
                    continue;
                }
                final Watch[] w = watches;
                for (int i = 0; i < n; i++)
                {
                    final long fd = events.get(ValueLayout.JAVA_LONG_UNALIGNED, i * size + LibcDescriptors.EPOLL_DATA);
                    final Watch watch = fd >= 0 && fd < w.length ? w[(int)fd] : null;
                    if (null != watch)
                    {
                        try
                        {
                            watch.onReady();
                        }
                        catch (final RuntimeException | Error e)
                        {
                            // One faulty listener must not stop every channel's reports.
                            LOG.log(System.Logger.Level.ERROR, "ready listener failed", e);
                        }
                    }
                }
            }
        }
    }

    private static void sleepQuietly()
    {
        try
        {
            Thread.sleep(100);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
