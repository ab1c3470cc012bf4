package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.SegmentCache;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Direct data placement on a connected {@link RdmaSocket} (rsocket(7)'s {@code riomap}, {@code riounmap},
 * {@code riowrite}; wire-protocol doc section 3): one side maps a buffer, the other writes straight into it
 * by offset, without a receive call and without a copy at the receiver.
 *
 * <pre>{@code
 * // both sides, before connecting: how many mappings the peer may publish to us
 * socket.setOption(RdmaSocketOptions.RDMA_IOMAPSIZE, 4);
 * // receiver
 * try (RdmaIomap.Mapping m = peer.iomap().map(segment, 0)) {   // shared, global or automatic arena
 *     peer.write(ByteBuffer.wrap(new byte[1]));                 // publishes the mapping with the byte
 *     peer.read(ByteBuffer.allocate(1));                        // the writer's "done"
 *     // segment holds the bytes
 * }
 * // writer
 * client.read(ByteBuffer.allocate(1));                          // the mapping has arrived
 * client.iomap().write(data, 0);                                // RDMA write into the peer's segment
 * client.write(ByteBuffer.wrap(new byte[1]));                   // arrives after the data: "done"
 * }</pre>
 *
 * <p>Where this differs from C, on purpose (details in the engine's {@code IoMaps}): a write outside the
 * peer's mappings fails with {@code EFAULT} and writes nothing (C returns a short count); unmapping tells the
 * peer (C sends nothing, and the peer's next write breaks the connection); updates cost no data credit (C
 * loses one per update for good). A mapping keeps its buffer reachable; a segment whose arena is closed
 * while mapped is dropped at the next write, map or unmap on the socket, but close the mapping first: a real
 * device may write into the freed memory until then.
 *
 * <p><b>Note:</b> thread safe; writes here serialise with {@link RdmaSocket#write(ByteBuffer)} and keep their
 * order on the connection.
 */
public final class RdmaIomap
{
    private final RdmaSocket socket;
    private final ReentrantLock writeLock;
    /** The last array or direct buffer written from; under the write lock. */
    private final SegmentCache segments = new SegmentCache();

    RdmaIomap(final RdmaSocket socket, final ReentrantLock writeLock)
    {
        this.socket = socket;
        this.writeLock = writeLock;
    }

    /**
     * {@code riomap(PROT_WRITE)}: the peer may write into {@code buffer} at {@code [offset, offset + size)}
     * once data this socket sends from now on has reached it.
     *
     * @param buffer native memory of a shared, global or automatic arena, 1 byte to 4 GiB - 1.
     * @param offset the offset the peer writes at, or -1 for the buffer's address (as C).
     * @return the mapping; close it to unmap.
     * @throws IOException {@code ENOMEM} when the peer's {@code RDMA_IOMAPSIZE} slots are all used (or it has
     *                     none), {@code EINVAL} for heap or read-only memory or before connecting, {@code EBADF}.
     */
    public Mapping map(final MemorySegment buffer, final long offset) throws IOException
    {
        return map(buffer, null, StreamRsocket.PROT_WRITE, offset);
    }

    /**
     * {@link #map(MemorySegment, long)} for a direct buffer: all of its capacity.
     *
     * @param buffer a direct, writable buffer; kept reachable while mapped.
     * @param offset the offset the peer writes at, or -1 for the buffer's address.
     * @return the mapping.
     * @throws IOException as {@link #map(MemorySegment, long)}; {@code EINVAL} for a heap buffer.
     */
    public Mapping map(final ByteBuffer buffer, final long offset) throws IOException
    {
        if (!buffer.isDirect() || buffer.isReadOnly())
        {
            throw new RdmaSocketException(Errno.EINVAL.code(), "riomap needs a direct, writable buffer", null);
        }
        return map(MemorySegment.ofBuffer(buffer.duplicate().clear()), buffer, StreamRsocket.PROT_WRITE, offset);
    }

    /**
     * {@code riomap(PROT_NONE)}: registers {@code buffer} for local access only; nothing goes to the peer.
     *
     * @param buffer native memory of a shared, global or automatic arena.
     * @return the mapping; its offset is the buffer's address.
     * @throws IOException as {@link #map(MemorySegment, long)}.
     */
    public Mapping mapLocal(final MemorySegment buffer) throws IOException
    {
        return map(buffer, null, StreamRsocket.PROT_NONE, -1);
    }

    private Mapping map(final MemorySegment buffer, final Object owner, final int prot, final long offset)
        throws IOException
    {
        Objects.requireNonNull(buffer, "buffer");
        socket.ensureOpen();
        try
        {
            return new Mapping(socket.rs, buffer, socket.rs.riomap(buffer, owner, prot, offset));
        }
        catch (final ErrnoException e)
        {
            throw Errors.socket(e, "riomap " + buffer.byteSize() + " bytes");
        }
    }

    /**
     * {@code riowrite}: all of {@code src} into the peer's mappings at {@code offset}, waiting for room.
     *
     * @param src    heap or native bytes.
     * @param offset the peer's offset.
     * @return bytes written, {@code src.byteSize()}.
     * @throws IOException {@code EFAULT} when the peer has not mapped all of {@code [offset, offset + size)}
     *                     (nothing written), {@code EPIPE} after {@link RdmaSocket#shutdownOutput()},
     *                     {@code ECONNRESET}, {@code EBADF}.
     */
    public long write(final MemorySegment src, final long offset) throws IOException
    {
        writeLock.lock();
        try
        {
            writeFully(src, 0, src.byteSize(), offset);
            return src.byteSize();
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * {@code riowrite} of {@code src} between its position and limit; the position moves to the limit.
     *
     * @param src    a heap, direct or read-only buffer.
     * @param offset the peer's offset.
     * @return bytes written.
     * @throws IOException as {@link #write(MemorySegment, long)}.
     */
    public int write(final ByteBuffer src, final long offset) throws IOException
    {
        writeLock.lock();
        try
        {
            final int position = src.position();
            final int length = src.remaining();
            if (src.hasArray())
            {
                writeFully(segments.of(src.array()), (long)src.arrayOffset() + position, length, offset);
            }
            else if (src.isDirect())
            {
                writeFully(segments.of(src), position, length, offset);
            }
            else
            {
                writeFully(MemorySegment.ofBuffer(src), 0, length, offset);
            }
            src.position(position + length);
            return length;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /**
     * {@code riowrite} of {@code len} bytes of {@code b} from {@code off}.
     *
     * @param b      the bytes.
     * @param off    where they start.
     * @param len    how many.
     * @param offset the peer's offset.
     * @throws IOException as {@link #write(MemorySegment, long)}.
     */
    public void write(final byte[] b, final int off, final int len, final long offset) throws IOException
    {
        Objects.checkFromIndexSize(off, len, b.length);
        writeLock.lock();
        try
        {
            writeFully(segments.of(b), off, len, offset);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private void writeFully(final MemorySegment src, final long from, final long length, final long offset)
        throws IOException
    {
        socket.ensureOpen();
        socket.ensureConnected();
        if (socket.isOutputShutdown())
        {
            throw new RdmaSocketException(Errno.EPIPE.code(), "socket output is shutdown", null);
        }
        long done = 0;
        while (done < length)
        {
            final long n = socket.rs.riowrite(src, from + done, length - done, offset + done, 0);
            if (n < 0)
            {
                if (socket.isClosed())
                {
                    throw Errors.closed();
                }
                throw Errors.socket((int)-n, "riowrite of " + (length - done) + " bytes at offset " + (offset + done) +
                    " to " + Errors.format(socket.remoteAddress), null);
            }
            done += n;
        }
    }

    /**
     * Lets the socket make progress on the calling thread, without waiting: for a receiver that waits for the
     * peer's riowrites by watching its mapped memory, as riostream's does, and so never calls in. A provider
     * that places data in software (tcp) then places what has arrived on this thread, instead of on its own
     * reactor thread, which would be one more busy thread; on a device, which places data itself, it costs a
     * completion-queue poll. A spin loop should call it each time round, and stop when it returns false.
     *
     * <pre>{@code
     * while (segment.get(JAVA_BYTE, last) != marker) {
     *     if (!iomap.progress() && segment.get(JAVA_BYTE, last) != marker) throw new EOFException();
     * }
     * }</pre>
     *
     * @return false once the connection is gone (the peer disconnected, or it failed): whatever the peer wrote
     *         before that is in place, so look at the memory once more.
     * @throws IOException {@code EBADF} once this socket is closed.
     */
    public boolean progress() throws IOException
    {
        socket.ensureOpen();
        return 0 == (socket.rs.pollEvents() & (StreamRsocket.POLLHUP | StreamRsocket.POLLERR));
    }

    /** One mapping; {@link #close()} unmaps it ({@code riounmap}), after which the peer cannot write into it. */
    public static final class Mapping implements AutoCloseable
    {
        private final StreamRsocket rs;
        private final MemorySegment segment;
        private final long offset;
        private boolean closed;

        Mapping(final StreamRsocket rs, final MemorySegment segment, final long offset)
        {
            this.rs = rs;
            this.segment = segment;
            this.offset = offset;
        }

        /** @return the offset the peer writes at. */
        public long offset()
        {
            return offset;
        }

        /** @return the mapped memory. */
        public MemorySegment segment()
        {
            return segment;
        }

        /**
         * Unmaps; idempotent. A closed socket has released its mappings already.
         *
         * @throws RdmaSocketException never for a closed socket; {@code EINVAL} if the mapping vanished.
         */
        @Override
        public synchronized void close() throws RdmaSocketException
        {
            if (closed)
            {
                return;
            }
            closed = true;
            final int rc = rs.riounmap(segment);
            // EBADF: the socket's close released it; a closed arena's mapping was dropped by the socket.
            if (rc < 0 && -Errno.EBADF.code() != rc && segment.scope().isAlive())
            {
                throw new RdmaSocketException(-rc, "riounmap", null);
            }
        }
    }
}
