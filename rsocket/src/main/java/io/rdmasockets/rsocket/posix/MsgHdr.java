package io.rdmasockets.rsocket.posix;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * C's {@code struct msghdr} for {@link Rsockets#rsendmsg} and {@link Rsockets#rrecvmsg}: the I/O vector (each
 * {@link MemorySegment} is one {@code struct iovec}, base and length), the first {@link #iovlen()} of which are
 * used; an address (ignored on a stream socket, as by C and Linux); control data (none is supported: a non-empty
 * one gives {@code ENOTSUP}, as C); and the flags a receive reports (always 0: nothing is ever truncated).
 *
 * <pre>{@code
 * MsgHdr msg = new MsgHdr(header, body);       // two segments, sent as one stream of bytes
 * long n = rsendmsg(fd, msg, 0);
 * }</pre>
 *
 * <p><b>Note:</b> not thread safe.
 */
public final class MsgHdr
{
    private InetSocketAddress name;
    private MemorySegment[] iov;
    private int iovlen;
    private MemorySegment control;
    private int flags;

    /**
     * @param iov the I/O vector; all of it is used ({@link #iovlen()} is its length).
     */
    public MsgHdr(final MemorySegment... iov)
    {
        iov(iov);
    }

    /**
     * @param buffers buffers to view from their position to their limit; their positions do not move (C's
     *                iovecs are not updated either).
     * @return a header over views of them.
     */
    public static MsgHdr of(final ByteBuffer... buffers)
    {
        final MemorySegment[] iov = new MemorySegment[buffers.length];
        for (int i = 0; i < buffers.length; i++)
        {
            iov[i] = MemorySegment.ofBuffer(buffers[i]);
        }
        return new MsgHdr(iov);
    }

    /** @return {@code msg_name}: ignored on a stream socket. */
    public InetSocketAddress name()
    {
        return name;
    }

    /**
     * @param name {@code msg_name}.
     * @return this.
     */
    public MsgHdr name(final InetSocketAddress name)
    {
        this.name = name;
        return this;
    }

    /** @return {@code msg_iov}. */
    public MemorySegment[] iov()
    {
        return iov;
    }

    /**
     * Sets the I/O vector and {@link #iovlen()} to its length.
     *
     * @param iov {@code msg_iov}.
     * @return this.
     */
    public MsgHdr iov(final MemorySegment... iov)
    {
        this.iov = iov;
        this.iovlen = null == iov ? 0 : iov.length;
        return this;
    }

    /** @return {@code msg_iovlen}: how many of {@link #iov()} are used. */
    public int iovlen()
    {
        return iovlen;
    }

    /**
     * @param iovlen {@code msg_iovlen}.
     * @return this.
     */
    public MsgHdr iovlen(final int iovlen)
    {
        this.iovlen = iovlen;
        return this;
    }

    /** @return {@code msg_control}, or {@code null}. */
    public MemorySegment control()
    {
        return control;
    }

    /**
     * @param control {@code msg_control}; must be {@code null} or empty.
     * @return this.
     */
    public MsgHdr control(final MemorySegment control)
    {
        this.control = control;
        return this;
    }

    /** @return {@code msg_flags}, as the last {@link Rsockets#rrecvmsg} left them. */
    public int flags()
    {
        return flags;
    }

    /**
     * @param flags {@code msg_flags}.
     * @return this.
     */
    public MsgHdr flags(final int flags)
    {
        this.flags = flags;
        return this;
    }
}
