package io.rdmasockets.provider.ibverbs.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A Linux eventfd for tests of the waiting machinery on machines without RDMA: it behaves like a
 * completion channel's descriptor (readable while it has something, read consumes it).
 */
final class EventFd implements AutoCloseable
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle EVENTFD = LINKER.downcallHandle(LIBC.findOrThrow("eventfd"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle READ = LINKER.downcallHandle(LIBC.findOrThrow("read"),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle WRITE = LINKER.downcallHandle(LIBC.findOrThrow("write"),
        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.findOrThrow("close"),
        FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    /** {@code EFD_SEMAPHORE}: each read takes one, like one event per read. */
    private static final int EFD_SEMAPHORE = 1;

    final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(ValueLayout.JAVA_LONG);

    EventFd()
    {
        try
        {
            fd = (int)EVENTFD.invokeExact(0, EFD_SEMAPHORE);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
        if (fd < 0)
        {
            throw new IllegalStateException("eventfd failed");
        }
    }

    /** Adds events. */
    synchronized void signal(final long count)
    {
        buffer.set(ValueLayout.JAVA_LONG, 0, count);
        try
        {
            final long n = (long)WRITE.invokeExact(fd, buffer, 8L);
            if (8 != n)
            {
                throw new IllegalStateException("write to eventfd: " + n);
            }
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    /** @return true when one event was taken (the descriptor is non-blocking once watched). */
    synchronized boolean take()
    {
        try
        {
            return 8 == (long)READ.invokeExact(fd, buffer, 8L);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close()
    {
        try
        {
            final int rc = (int)CLOSE.invokeExact(fd);
            if (0 != rc)
            {
                throw new IllegalStateException("close eventfd: " + rc);
            }
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
        arena.close();
    }
}
