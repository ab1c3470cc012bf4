package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.engine.SegmentCache;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The write side of an {@link RdmaSocket}: buffer, gather, segment and stream writes, each under the socket's
 * write lock and all through one path to the engine ({@link #writeFully}), which sends everything or throws.
 *
 * <p><b>Note:</b> thread safe: writes serialise on the write lock, which {@link RdmaSocket#close()} also takes.
 */
final class SocketWriter
{
    private final RdmaSocket socket;
    private final ReentrantLock writeLock;
    private final MemorySegment oneOut = MemorySegment.ofArray(new byte[1]);
    /** The last buffer or array written from; under the write lock. */
    private final SegmentCache segments = new SegmentCache();

    SocketWriter(final RdmaSocket socket, final ReentrantLock writeLock)
    {
        this.socket = socket;
        this.writeLock = writeLock;
    }

    /** {@link RdmaSocket#write(ByteBuffer)}. */
    int write(final ByteBuffer src) throws IOException
    {
        writeLock.lock();
        try
        {
            return writeFrom(src);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** {@link RdmaSocket#write(ByteBuffer[])}. */
    long write(final ByteBuffer[] srcs) throws IOException
    {
        writeLock.lock();
        try
        {
            long total = 0;
            for (final ByteBuffer src : srcs)
            {
                total += writeFrom(src);
            }
            return total;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** {@link RdmaSocket#write(MemorySegment)}. */
    long write(final MemorySegment src) throws IOException
    {
        writeLock.lock();
        try
        {
            writeFully(src, 0, src.byteSize());
            return src.byteSize();
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** {@link java.io.OutputStream#write(int)}. */
    void write(final int b) throws IOException
    {
        writeLock.lock();
        try
        {
            oneOut.set(ValueLayout.JAVA_BYTE, 0, (byte)b);
            writeFully(oneOut, 0, 1);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    /** {@link java.io.OutputStream#write(byte[], int, int)}, the range already checked. */
    void write(final byte[] b, final int off, final int len) throws IOException
    {
        writeLock.lock();
        try
        {
            writeFully(segments.of(b), off, len);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private int writeFrom(final ByteBuffer src) throws IOException
    {
        final int position = src.position();
        final int length = src.remaining();
        if (src.hasArray())
        {
            writeFully(segments.of(src.array()), (long)src.arrayOffset() + position, length);
        }
        else if (src.isDirect())
        {
            writeFully(segments.of(src), position, length);
        }
        else
        {
            // A read-only heap buffer hides its array: a fresh view per call.
            writeFully(MemorySegment.ofBuffer(src), 0, length);
        }
        src.position(position + length);
        return length;
    }

    /** The one write path, under the write lock. */
    private void writeFully(final MemorySegment src, final long offset, final long length) throws IOException
    {
        socket.ensureOpen();
        socket.ensureConnected();
        if (socket.isOutputShutdown())
        {
            throw new RdmaSocketException(Errno.EPIPE.code(), "socket output is shutdown");
        }
        long done = 0;
        while (done < length)
        {
            final int n = socket.rs.send(src, offset + done, (int)Math.min(length - done, RdmaSocket.MAX_CHUNK), 0);
            if (n < 0)
            {
                if (socket.isClosed())
                {
                    throw Errors.closed();
                }
                throw Errors.socket(-n, "write to " + Errors.format(socket.remoteAddress), null);
            }
            done += n;
        }
    }
}
