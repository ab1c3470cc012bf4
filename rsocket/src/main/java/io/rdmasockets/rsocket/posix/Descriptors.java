package io.rdmasockets.rsocket.posix;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The descriptor table: int descriptors as the kernel hands them out, the lowest free one first, from 3 (0, 1 and
 * 2 are a C process's standard streams, so ported code that treats 0 as "no socket" keeps working). A descriptor
 * is reused only after {@code rclose} took it out of the table.
 *
 * <p><b>Note:</b> thread safe. {@link #lookup} is lock-free and allocation-free (the data path calls it);
 * allocation and removal take a lock.
 */
final class Descriptors
{
    /** The first descriptor handed out. */
    static final int FIRST = 3;
    /** Beyond this many, {@code EMFILE}: Linux's default hard limit on open files. */
    static final int MAX = 1 << 20;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Descriptor[].class);
    private static final Object LOCK = new Object();
    private static volatile Descriptor[] table = new Descriptor[64];
    /** No free descriptor below this; guarded by {@link #LOCK}. */
    private static int lowestFree = FIRST;

    private Descriptors()
    {
    }

    /**
     * @param fd a descriptor.
     * @return what it names, or {@code null} when it is not open.
     */
    static Descriptor lookup(final int fd)
    {
        final Descriptor[] t = table;
        return fd >= 0 && fd < t.length ? (Descriptor)SLOT.getAcquire(t, fd) : null;
    }

    /**
     * @param fd a descriptor.
     * @return the rsocket it names, or {@code null} when it is not open or names a channel.
     */
    static RsocketFd socket(final int fd)
    {
        return lookup(fd) instanceof RsocketFd s ? s : null;
    }

    /**
     * @param d what the new descriptor names.
     * @return the lowest free descriptor, or -1 when {@value #MAX} are open.
     */
    static int allocate(final Descriptor d)
    {
        synchronized (LOCK)
        {
            Descriptor[] t = table;
            int fd = lowestFree;
            while (fd < t.length && null != t[fd])
            {
                fd++;
            }
            if (fd >= MAX)
            {
                return -1;
            }
            if (fd >= t.length)
            {
                t = Arrays.copyOf(t, Math.min(MAX, t.length * 2));
                table = t;
            }
            SLOT.setRelease(t, fd, d);
            lowestFree = fd + 1;
            return fd;
        }
    }

    /**
     * Takes a descriptor out of the table, so that only one of racing {@code rclose} calls gets it.
     *
     * @param fd a descriptor.
     * @return what it named, or {@code null} when it was not open.
     */
    static Descriptor remove(final int fd)
    {
        synchronized (LOCK)
        {
            final Descriptor[] t = table;
            if (fd < 0 || fd >= t.length || null == t[fd])
            {
                return null;
            }
            final Descriptor d = t[fd];
            SLOT.setRelease(t, fd, (Descriptor)null);
            lowestFree = Math.min(lowestFree, fd);
            return d;
        }
    }
}
