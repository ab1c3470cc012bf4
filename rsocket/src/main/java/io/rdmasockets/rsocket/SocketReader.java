package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.engine.SegmentCache;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The read side of an {@link RdmaSocket}: buffer, scatter, segment and stream reads, each under the socket's
 * read lock and all through one path to the engine ({@link #readSegment}).
 *
 * <p><b>Note:</b> thread safe: reads serialise on the read lock, which {@link RdmaSocket#close()} also takes.
 */
final class SocketReader
{
    private final RdmaSocket socket;
    private final ReentrantLock readLock;
    private final MemorySegment oneIn = MemorySegment.ofArray(new byte[1]);
    /** The last buffer or array read into; under the read lock. */
    private final SegmentCache segments = new SegmentCache();

    SocketReader(final RdmaSocket socket, final ReentrantLock readLock)
    {
        this.socket = socket;
        this.readLock = readLock;
    }

    /** {@link RdmaSocket#read(ByteBuffer)}. */
    int read(final ByteBuffer dst) throws IOException
    {
        checkWritable(dst);
        readLock.lock();
        try
        {
            return readInto(dst);
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** {@link RdmaSocket#read(ByteBuffer[])}. */
    long read(final ByteBuffer[] dsts) throws IOException
    {
        for (final ByteBuffer dst : dsts)
        {
            checkWritable(dst);
        }
        readLock.lock();
        try
        {
            long total = 0;
            for (final ByteBuffer dst : dsts)
            {
                if (!dst.hasRemaining())
                {
                    continue;
                }
                if (total > 0 && socket.rs.available() <= 0)
                {
                    break;
                }
                final int n = readInto(dst);
                if (n < 0)
                {
                    return 0 == total ? -1 : total;
                }
                total += n;
                if (dst.hasRemaining())
                {
                    break;
                }
            }
            return total;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** {@link RdmaSocket#read(MemorySegment)}. */
    int read(final MemorySegment dst) throws IOException
    {
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("read-only segment");
        }
        readLock.lock();
        try
        {
            return readSegment(dst, 0, (int)Math.min(dst.byteSize(), RdmaSocket.MAX_CHUNK));
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** {@link java.io.InputStream#read()}: one byte, or -1 at the end of the stream. */
    int read() throws IOException
    {
        readLock.lock();
        try
        {
            final int n = readSegment(oneIn, 0, 1);
            return n < 0 ? -1 : oneIn.get(ValueLayout.JAVA_BYTE, 0) & 0xFF;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** {@link java.io.InputStream#read(byte[], int, int)}, the range already checked. */
    int read(final byte[] b, final int off, final int len) throws IOException
    {
        readLock.lock();
        try
        {
            return readSegment(segments.of(b), off, len);
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** {@link java.io.InputStream#available()}: bytes readable without waiting. */
    int available() throws IOException
    {
        final StreamRsocket rs = socket.rs;
        socket.controlLock.lock();
        try
        {
            socket.ensureOpen();
            if (socket.isInputShutdown() || !socket.isConnected())
            {
                return 0;
            }
            // The engine counts only completions already polled; a non-blocking empty receive polls
            // them. A blocked reader holds the read lock and makes that progress itself.
            if (0 == rs.available() && readLock.tryLock())
            {
                try
                {
                    rs.recv(oneIn, 0, 0, StreamRsocket.MSG_DONTWAIT);
                }
                finally
                {
                    readLock.unlock();
                }
            }
            return (int)Math.min(rs.available(), Integer.MAX_VALUE);
        }
        finally
        {
            socket.controlLock.unlock();
        }
    }

    private int readInto(final ByteBuffer dst) throws IOException
    {
        final int position = dst.position();
        final int n;
        if (dst.hasArray())
        {
            n = readSegment(segments.of(dst.array()), (long)dst.arrayOffset() + position, dst.remaining());
        }
        else
        {
            n = readSegment(segments.of(dst), position, dst.remaining());
        }
        if (n > 0)
        {
            dst.position(position + n);
        }
        return n;
    }

    /** The one read path, under the read lock. */
    private int readSegment(final MemorySegment dst, final long offset, final int length) throws IOException
    {
        socket.ensureOpen();
        socket.ensureConnected();
        if (socket.isInputShutdown())
        {
            return -1;
        }
        if (0 == length)
        {
            return 0;
        }
        final int timeoutMs = socket.soTimeoutMs;
        final int n = socket.rs.recv(dst, offset, length, 0, timeoutMs);
        if (n > 0)
        {
            return n;
        }
        if (socket.isClosed())
        {
            throw Errors.closed();
        }
        if (0 == n)
        {
            return -1;
        }
        if (-Errno.EAGAIN.code() == n && timeoutMs > 0 && !socket.isInputShutdown())
        {
            throw new RdmaSocketTimeoutException(Errno.EAGAIN.code(), "read timed out after " + timeoutMs + " ms");
        }
        throw Errors.socket(-n, "read from " + Errors.format(socket.remoteAddress), null);
    }

    private static void checkWritable(final ByteBuffer dst)
    {
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("read-only buffer");
        }
    }
}
