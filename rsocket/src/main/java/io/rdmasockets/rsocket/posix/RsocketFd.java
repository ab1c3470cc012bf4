package io.rdmasockets.rsocket.posix;

import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * An rsocket descriptor: the engine socket, the family it was created with, and C's {@code fs_flags}
 * ({@code F_GETFL}) and {@code fd_flags} ({@code F_GETFD}). It remembers the last array or buffer used in each
 * direction with its segment, so a program that reuses its buffers sends and receives without allocating.
 *
 * <p><b>Note:</b> thread safe; the caches are replaced whole (one volatile write), never modified.
 */
final class RsocketFd implements Descriptor
{
    /** The engine counts in int; a blocking call goes round for more. */
    private static final int MAX_CHUNK = 1 << 30;

    final StreamRsocket rs;
    final int domain;
    private volatile int fsFlags;
    private volatile int fdFlags;
    private volatile View sendView;
    private volatile View recvView;

    /** An array or buffer and the segment over all of it. */
    private record View(Object key, MemorySegment segment)
    {
    }

    RsocketFd(final StreamRsocket rs, final int domain, final int fsFlags, final int fdFlags)
    {
        this.rs = rs;
        this.domain = domain;
        this.fdFlags = fdFlags;
        fsFlags(fsFlags);
    }

    int fsFlags()
    {
        return fsFlags;
    }

    /** {@code F_SETFL}: C keeps every bit given; O_NONBLOCK is the one that acts. */
    void fsFlags(final int flags)
    {
        fsFlags = flags;
        rs.nonblocking(0 != (flags & RsocketConstants.O_NONBLOCK));
    }

    int fdFlags()
    {
        return fdFlags;
    }

    void fdFlags(final int flags)
    {
        fdFlags = flags;
    }

    /** @return whether this call must not wait. */
    private boolean nonblocking(final int flags)
    {
        return 0 != ((flags & RsocketConstants.MSG_DONTWAIT) | (fsFlags & RsocketConstants.O_NONBLOCK));
    }

    /**
     * {@code rsend}: all of it when blocking (as C), what fits when not.
     *
     * @return bytes sent, or a negative errno.
     */
    long send(final MemorySegment src, final long offset, final long length, final int flags)
    {
        long done = 0;
        do
        {
            final int n = rs.send(src, offset + done, (int)Math.min(length - done, MAX_CHUNK), flags);
            if (n < 0)
            {
                return 0 == done ? n : done;
            }
            done += n;
        }
        while (done < length && !nonblocking(flags));
        return done;
    }

    /**
     * {@code rrecv}: what has arrived, waiting for the first byte when blocking; all of it with MSG_WAITALL.
     *
     * @return bytes received, 0 at the end of the stream, or a negative errno.
     */
    long recv(final MemorySegment dst, final long offset, final long length, final int flags)
    {
        long done = 0;
        do
        {
            final int n = rs.recv(dst, offset + done, (int)Math.min(length - done, MAX_CHUNK), flags);
            if (n <= 0)
            {
                return 0 == done ? n : done;
            }
            done += n;
        }
        while (done < length && 0 != (flags & RsocketConstants.MSG_WAITALL) && 0 == (flags & RsocketConstants.MSG_PEEK));
        return done;
    }

    /** @return a segment over all of {@code array}, the last one's when it is the same array. */
    MemorySegment sendSegment(final byte[] array)
    {
        final View v = sendView;
        if (null != v && v.key == array)
        {
            return v.segment;
        }
        final MemorySegment s = MemorySegment.ofArray(array);
        sendView = new View(array, s);
        return s;
    }

    /** @return a segment over all of {@code array} for receiving into. */
    MemorySegment recvSegment(final byte[] array)
    {
        final View v = recvView;
        if (null != v && v.key == array)
        {
            return v.segment;
        }
        final MemorySegment s = MemorySegment.ofArray(array);
        recvView = new View(array, s);
        return s;
    }

    /**
     * @param buffer a buffer.
     * @param send   which direction's cache.
     * @return a segment over the whole of its capacity (array-backed: over the array), or {@code null} for a
     *         read-only heap buffer, whose contents are hidden.
     */
    MemorySegment segment(final ByteBuffer buffer, final boolean send)
    {
        if (buffer.hasArray())
        {
            return send ? sendSegment(buffer.array()) : recvSegment(buffer.array());
        }
        if (!buffer.isDirect())
        {
            return null;
        }
        final View v = send ? sendView : recvView;
        if (null != v && v.key == buffer)
        {
            return v.segment;
        }
        final MemorySegment s = MemorySegment.ofBuffer(buffer.duplicate().clear());
        final View fresh = new View(buffer, s);
        if (send)
        {
            sendView = fresh;
        }
        else
        {
            recvView = fresh;
        }
        return s;
    }

    /** @return the offset of {@code buffer}'s position in {@link #segment}'s result. */
    static long offsetOf(final ByteBuffer buffer)
    {
        return buffer.hasArray() ? (long)buffer.arrayOffset() + buffer.position() : buffer.position();
    }

    @Override
    public void close()
    {
        rs.close();
    }
}
