package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * rsocket(7)'s direct data placement calls for the C-style facade: {@code riomap}, {@code riounmap},
 * {@code riowrite} (wire-protocol doc section 3), on {@link Rsockets} descriptors, with C's results (-1 and
 * {@link Rsockets#errno()} on failure). Set {@code RDMA_IOMAPSIZE} with {@link Rsockets#rsetsockopt} before
 * connecting (on the listener for accepted sockets): it is how many mappings the peer may publish to us.
 *
 * <pre>{@code
 * long off = riomap(fd, buf, size, PROT_WRITE, 0, 0);      // the peer may write into buf at [0, size)
 * rsend(fd, sync, 1, 0);                                  // publishes the mapping ahead of the byte
 * ...
 * riowrite(peerFd, data, size, 0, 0);                     // straight into the peer's buf
 * rsend(peerFd, done, 1, 0);                              // arrives after the written bytes
 * }</pre>
 *
 * <p>Where this differs from C, on purpose: a riowrite outside the peer's mappings (an offset never mapped, or
 * running past a mapping's end into a gap) fails with {@code EFAULT} and writes nothing, where C returns a
 * short count without setting errno; {@code riounmap} tells the peer (a zeroed entry in its slot, which a C
 * peer's lookup skips), so a Java writer gets {@code EFAULT} instead of breaking the connection; iomap
 * updates take no data credit (C loses one per update, section 2.5); a mapping longer than
 * {@code 2^32 - 1} bytes is refused ({@code EINVAL}; C truncates its length). A segment mapped must come from
 * a shared, global or automatic arena; unmap it before closing its arena.
 *
 * <p><b>Note:</b> thread safe, as C's calls are.
 */
public final class Riomaps
{
    /** {@code PROT_NONE}: a mapping for local access only. */
    public static final int PROT_NONE = StreamRsocket.PROT_NONE;
    /** {@code PROT_WRITE}: a mapping the peer may write into. */
    public static final int PROT_WRITE = StreamRsocket.PROT_WRITE;

    private Riomaps()
    {
    }

    /**
     * {@code off_t riomap(int socket, void *buf, size_t len, int prot, int flags, off_t offset)}.
     *
     * @param socket the connected descriptor.
     * @param buf    native memory of a shared, global or automatic arena.
     * @param len    bytes of {@code buf} from its start, 1 to {@code 2^32 - 1}.
     * @param prot   {@link #PROT_WRITE} or {@link #PROT_NONE}.
     * @param flags  0 (C takes none either).
     * @param offset the offset the peer writes at, or -1 for the buffer's address.
     * @return the offset, or -1: {@code EBADF}, {@code EINVAL} (not connected, bad prot, flags or buffer),
     *         {@code EFAULT} ({@code len} beyond {@code buf}), {@code ENOMEM} (the peer's slots are all used, or it
     *         accepts none).
     */
    public static long riomap(final int socket, final MemorySegment buf, final long len, final int prot,
        final int flags, final long offset)
    {
        final RsocketFd d = Descriptors.socket(socket);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || len <= 0 || len > buf.byteSize())
        {
            return Errnos.fail(null == buf || len > buf.byteSize() ? Errno.EFAULT.code() : Errno.EINVAL.code());
        }
        if (0 != flags)
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        try
        {
            return d.rs.riomap(buf.asSlice(0, len), null, prot, offset);
        }
        catch (final ErrnoException e)
        {
            return Errnos.fail(e.errno());
        }
    }

    /**
     * {@code riomap} of a direct buffer's memory from its position to its limit.
     *
     * @param socket the connected descriptor.
     * @param buf    a direct, writable buffer; kept reachable while mapped.
     * @param prot   {@link #PROT_WRITE} or {@link #PROT_NONE}.
     * @param flags  0.
     * @param offset the offset the peer writes at, or -1 for the address of the buffer's position.
     * @return the offset, or -1 as {@link #riomap(int, MemorySegment, long, int, int, long)}.
     */
    public static long riomap(final int socket, final ByteBuffer buf, final int prot, final int flags,
        final long offset)
    {
        if (null == buf || !buf.isDirect() || buf.isReadOnly())
        {
            return Errnos.fail(null == buf ? Errno.EFAULT.code() : Errno.EINVAL.code());
        }
        final RsocketFd d = Descriptors.socket(socket);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (0 != flags || !buf.hasRemaining())
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        try
        {
            return d.rs.riomap(MemorySegment.ofBuffer(buf), buf, prot, offset);
        }
        catch (final ErrnoException e)
        {
            return Errnos.fail(e.errno());
        }
    }

    /**
     * {@code int riounmap(int socket, void *buf, size_t len)}: the mapping of exactly this address and length.
     *
     * @param socket the descriptor.
     * @param buf    the memory mapped.
     * @param len    the length mapped.
     * @return 0, or -1: {@code EBADF}, {@code EINVAL} (no such mapping).
     */
    public static int riounmap(final int socket, final MemorySegment buf, final long len)
    {
        final RsocketFd d = Descriptors.socket(socket);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || len <= 0 || len > buf.byteSize())
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        return Errnos.result(d.rs.riounmap(buf.asSlice(0, len)));
    }

    /**
     * {@code riounmap} of a direct buffer mapped by {@link #riomap(int, ByteBuffer, int, int, long)} with the
     * same position and limit.
     *
     * @param socket the descriptor.
     * @param buf    the buffer.
     * @return 0, or -1 as {@link #riounmap(int, MemorySegment, long)}.
     */
    public static int riounmap(final int socket, final ByteBuffer buf)
    {
        if (null == buf || !buf.isDirect() || !buf.hasRemaining())
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        return riounmap(socket, MemorySegment.ofBuffer(buf), buf.remaining());
    }

    /**
     * {@code size_t riowrite(int socket, const void *buf, size_t count, off_t offset, int flags)}: all of it
     * when blocking, what fits without waiting with {@code MSG_DONTWAIT} or {@code O_NONBLOCK}.
     *
     * @param socket the connected descriptor.
     * @param buf    the bytes, heap or native.
     * @param count  how many, from the start of {@code buf}.
     * @param offset the peer's offset.
     * @param flags  {@code MSG_DONTWAIT}.
     * @return bytes written, or -1: {@code EFAULT} (the peer has not mapped all of the range; nothing was
     *         written), {@code EAGAIN}, {@code EPIPE}, {@code ECONNRESET}, {@code ENOTCONN}, {@code EBADF}.
     */
    public static long riowrite(final int socket, final MemorySegment buf, final long count, final long offset,
        final int flags)
    {
        final RsocketFd d = Descriptors.socket(socket);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || count < 0 || count > buf.byteSize())
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        return Errnos.result(d.rs.riowrite(buf, 0, count, offset, flags));
    }

    /**
     * {@code riowrite} from an array.
     *
     * @param socket the connected descriptor.
     * @param buf    the bytes.
     * @param off    where they start.
     * @param count  how many.
     * @param offset the peer's offset.
     * @param flags  {@code MSG_DONTWAIT}.
     * @return bytes written, or -1 as {@link #riowrite(int, MemorySegment, long, long, int)}.
     */
    public static long riowrite(final int socket, final byte[] buf, final int off, final int count,
        final long offset, final int flags)
    {
        final RsocketFd d = Descriptors.socket(socket);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || off < 0 || count < 0 || off > buf.length - count)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        return Errnos.result(d.rs.riowrite(d.sendSegment(buf), off, count, offset, flags));
    }

    /**
     * {@code riowrite} of a buffer between its position and limit; the position moves past what was written.
     *
     * @param socket the connected descriptor.
     * @param buf    a heap, direct or read-only buffer.
     * @param offset the peer's offset.
     * @param flags  {@code MSG_DONTWAIT}.
     * @return bytes written, or -1 as {@link #riowrite(int, MemorySegment, long, long, int)}.
     */
    public static long riowrite(final int socket, final ByteBuffer buf, final long offset, final int flags)
    {
        final RsocketFd d = Descriptors.socket(socket);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        MemorySegment s = d.segment(buf, true);
        long from = RsocketFd.offsetOf(buf);
        if (null == s)
        {
            s = MemorySegment.ofBuffer(buf);
            from = 0;
        }
        final long n = d.rs.riowrite(s, from, buf.remaining(), offset, flags);
        if (n > 0)
        {
            buf.position(buf.position() + (int)n);
        }
        return Errnos.result(n);
    }
}
