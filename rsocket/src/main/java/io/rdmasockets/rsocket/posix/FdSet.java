package io.rdmasockets.rsocket.posix;

import java.util.Arrays;

/**
 * C's {@code fd_set} for {@link Rsockets#rselect}: a set of descriptors. It starts with room for
 * {@link RsocketConstants#FD_SETSIZE} and grows past it (C's would overflow). {@link Rsockets#FD_SET},
 * {@link Rsockets#FD_CLR}, {@link Rsockets#FD_ISSET} and {@link Rsockets#FD_ZERO} work on it as in C.
 *
 * <p><b>Note:</b> not thread safe.
 */
public final class FdSet
{
    private long[] bits;

    /** An empty set for descriptors below {@link RsocketConstants#FD_SETSIZE}; it grows as needed. */
    public FdSet()
    {
        this(RsocketConstants.FD_SETSIZE);
    }

    /**
     * @param size descriptors it holds before it grows.
     */
    public FdSet(final int size)
    {
        bits = new long[Math.max(1, (size + 63) >>> 6)];
    }

    /**
     * {@code FD_SET}.
     *
     * @param fd a descriptor, 0 or more.
     * @return this.
     * @throws IllegalArgumentException for a negative descriptor.
     */
    public FdSet set(final int fd)
    {
        if (fd < 0)
        {
            throw new IllegalArgumentException("fd " + fd);
        }
        final int word = fd >>> 6;
        if (word >= bits.length)
        {
            bits = Arrays.copyOf(bits, Math.max(word + 1, bits.length * 2));
        }
        bits[word] |= 1L << fd;
        return this;
    }

    /**
     * {@code FD_CLR}.
     *
     * @param fd a descriptor.
     * @return this.
     */
    public FdSet clear(final int fd)
    {
        final int word = fd >>> 6;
        if (fd >= 0 && word < bits.length)
        {
            bits[word] &= ~(1L << fd);
        }
        return this;
    }

    /**
     * {@code FD_ISSET}.
     *
     * @param fd a descriptor.
     * @return whether it is in the set.
     */
    public boolean isSet(final int fd)
    {
        final int word = fd >>> 6;
        return fd >= 0 && word < bits.length && 0 != (bits[word] & (1L << fd));
    }

    /**
     * {@code FD_ZERO}.
     *
     * @return this.
     */
    public FdSet zero()
    {
        Arrays.fill(bits, 0);
        return this;
    }

    /** @return descriptors in the set. */
    public int count()
    {
        int n = 0;
        for (final long w : bits)
        {
            n += Long.bitCount(w);
        }
        return n;
    }

    @Override
    public String toString()
    {
        final StringBuilder b = new StringBuilder("fd_set{");
        for (int fd = 0; fd < bits.length << 6; fd++)
        {
            if (isSet(fd))
            {
                b.append(b.length() > 7 ? "," : "").append(fd);
            }
        }
        return b.append('}').toString();
    }
}
