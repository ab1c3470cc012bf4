package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.provider.ibverbs.internal.abi.LibcDescriptors;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls the provider's waiting needs, from the JVM's default lookup: {@code epoll_*} for the
 * poller thread, {@code poll} to test readiness and for a platform thread's blocking wait, an
 * {@code eventfd} (with {@code read}, {@code write}, {@code close}) to wake that wait, {@code fcntl} to make
 * the verbs and rdma_cm descriptors non-blocking (no thread ever blocks in a verbs call). Each returns -1
 * with errno as in C.
 */
final class Libc
{
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLLIN = 0x001;
    static final int EPOLLONESHOT = 1 << 30;
    static final short POLLIN = 0x001;
    /** {@code EFD_NONBLOCK | EFD_CLOEXEC}. */
    static final int EFD_NONBLOCK_CLOEXEC = 0x800 | 0x80000;
    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;

    private static final SymbolLookup LIBC = Ffm.LINKER.defaultLookup();
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout ADDRESS = ValueLayout.ADDRESS;

    private static final MethodHandle EPOLL_CREATE1 = Ffm.errnoCall(LIBC, "epoll_create1", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle EPOLL_CTL = Ffm.errnoCall(LIBC, "epoll_ctl",
        FunctionDescriptor.of(INT, INT, INT, INT, ADDRESS));
    private static final MethodHandle EPOLL_WAIT = Ffm.errnoCall(LIBC, "epoll_wait",
        FunctionDescriptor.of(INT, INT, ADDRESS, INT, INT));
    private static final MethodHandle POLL = Ffm.errnoCall(LIBC, "poll",
        FunctionDescriptor.of(INT, ADDRESS, ValueLayout.JAVA_LONG, INT));
    private static final MethodHandle EVENTFD = Ffm.errnoCall(LIBC, "eventfd", FunctionDescriptor.of(INT, INT, INT));
    private static final MethodHandle READ = Ffm.errnoCall(LIBC, "read",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, INT, ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = Ffm.errnoCall(LIBC, "write",
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, INT, ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = Ffm.errnoCall(LIBC, "close", FunctionDescriptor.of(INT, INT));
    private static final MethodHandle FCNTL_GET = Ffm.LINKER.downcallHandle(LIBC.findOrThrow("fcntl"),
        FunctionDescriptor.of(INT, INT, INT), Linker.Option.captureCallState("errno"));
    private static final MethodHandle FCNTL_SET = Ffm.LINKER.downcallHandle(LIBC.findOrThrow("fcntl"),
        FunctionDescriptor.of(INT, INT, INT, INT), Linker.Option.captureCallState("errno"),
        Linker.Option.firstVariadicArg(2));

    private Libc()
    {
    }

    static int epollCreate(final MemorySegment state)
    {
        try
        {
            return (int)EPOLL_CREATE1.invokeExact(state, EPOLL_CLOEXEC);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static int epollCtl(final MemorySegment state, final int epfd, final int op, final int fd, final MemorySegment event)
    {
        try
        {
            return (int)EPOLL_CTL.invokeExact(state, epfd, op, fd, event);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static int epollWait(final MemorySegment state, final int epfd, final MemorySegment events, final int max,
        final int timeoutMs)
    {
        try
        {
            return (int)EPOLL_WAIT.invokeExact(state, epfd, events, max, timeoutMs);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * @param state  errno capture.
     * @param pollfd one {@code struct pollfd} with fd and events set.
     * @return poll's result: 1 when ready, 0 when not, -1 on error.
     */
    static int pollNow(final MemorySegment state, final MemorySegment pollfd)
    {
        try
        {
            pollfd.set(ValueLayout.JAVA_SHORT, LibcDescriptors.POLLFD_REVENTS, (short)0);
            return (int)POLL.invokeExact(state, pollfd, 1L, 0);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * @param state     errno capture.
     * @param pollfds   {@code nfds} {@code struct pollfd}s with fd and events set.
     * @param nfds      how many.
     * @param timeoutMs how long to block, -1 without limit.
     * @return poll's result: how many are ready, 0 after the timeout, -1 on error.
     */
    static int poll(final MemorySegment state, final MemorySegment pollfds, final int nfds, final int timeoutMs)
    {
        try
        {
            return (int)POLL.invokeExact(state, pollfds, (long)nfds, timeoutMs);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return a non-blocking, close-on-exec {@code eventfd} with count 0, or -1 with errno. */
    static int eventFd(final MemorySegment state)
    {
        try
        {
            return (int)EVENTFD.invokeExact(state, 0, EFD_NONBLOCK_CLOEXEC);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * Adds to an eventfd's count ({@code write} of a {@code uint64_t}).
     *
     * @param state   errno capture.
     * @param fd      the eventfd.
     * @param scratch 8 bytes.
     * @return 8, or -1 with errno.
     */
    static long eventFdSignal(final MemorySegment state, final int fd, final MemorySegment scratch)
    {
        try
        {
            scratch.set(ValueLayout.JAVA_LONG, 0, 1L);
            return (long)WRITE.invokeExact(state, fd, scratch, 8L);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * Resets a non-blocking eventfd's count to 0 ({@code read} of a {@code uint64_t}).
     *
     * @param state   errno capture.
     * @param fd      the eventfd.
     * @param scratch 8 bytes.
     * @return 8, or -1 with errno ({@code EAGAIN} when the count was 0).
     */
    static long eventFdDrain(final MemorySegment state, final int fd, final MemorySegment scratch)
    {
        try
        {
            return (long)READ.invokeExact(state, fd, scratch, 8L);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return {@code close}'s result. */
    static int close(final MemorySegment state, final int fd)
    {
        try
        {
            return (int)CLOSE.invokeExact(state, fd);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /**
     * Sets {@code O_NONBLOCK} on a descriptor, as librdmacm's documentation suggests for asynchronous use.
     *
     * @param fd the descriptor.
     * @return 0, or the errno.
     */
    static int setNonBlocking(final int fd)
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            final int flags = (int)FCNTL_GET.invokeExact(call.state, fd, F_GETFL);
            if (flags < 0)
            {
                return call.errno();
            }
            if (0 == (flags & O_NONBLOCK) && (int)FCNTL_SET.invokeExact(call.state, fd, F_SETFL, flags | O_NONBLOCK) < 0)
            {
                return call.errno();
            }
            return 0;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }
}
