package io.rdmasockets.nio.channels;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.engine.SegmentCache;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;

/**
 * The reads and writes of an rsocket channel: ByteBuffers as segments (cached, so a buffer used again costs no
 * allocation), the engine's status codes as the JDK's results and exceptions, and blocking calls bracketed so
 * that an interrupt or a close ends them as it ends the JDK's.
 *
 * <p><b>Note:</b> reads and writes each run under their channel lock.
 */
final class RsocketTransfer
{
    private final RoutedSocketChannel channel;
    private final SegmentCache readSegments = new SegmentCache();
    private final SegmentCache writeSegments = new SegmentCache();

    RsocketTransfer(final RoutedSocketChannel channel)
    {
        this.channel = channel;
    }

    /**
     * @param s         the rsocket.
     * @param dst       where the bytes go.
     * @param wait      whether to block until bytes arrive.
     * @param timeoutMs with {@code wait}, how long (0 without limit): then {@link SocketTimeoutException}.
     * @return bytes read, 0 when none are there and not waiting, -1 at end of stream.
     * @throws IOException as the JDK's channels.
     */
    int read(final StreamRsocket s, final ByteBuffer dst, final boolean wait, final int timeoutMs) throws IOException
    {
        final int length = dst.remaining();
        if (0 == length)
        {
            return 0;
        }
        final MemorySegment segment = segment(readSegments, dst);
        final int position = dst.position();
        final long offset = dst.isDirect() ? position : dst.arrayOffset() + position;
        int n = 0;
        try
        {
            if (wait)
            {
                channel.beginBlocking();
            }
            n = s.recv(segment, offset, length, wait ? 0 : StreamRsocket.MSG_DONTWAIT, wait ? timeoutMs : 0);
        }
        finally
        {
            if (wait)
            {
                channel.endBlocking(n > 0 || (0 == n || timeoutMs > 0) && channel.isOpen());
            }
        }
        checkInterrupted(n);
        if (n > 0)
        {
            dst.position(position + n);
            return n;
        }
        if (0 == n)
        {
            return -1;
        }
        if (-Errno.EAGAIN.code() == n)
        {
            if (wait && timeoutMs > 0)
            {
                throw new SocketTimeoutException("Read timed out");
            }
            return 0;
        }
        if (-Errno.EBADF.code() == n && !channel.isOpen())
        {
            throw new ClosedChannelException();
        }
        throw RsocketSupport.exception(-n, "read from " + channel.remote());
    }

    /**
     * @param s    the rsocket.
     * @param src  the bytes.
     * @param wait whether to block until all are sent.
     * @return bytes sent (0 when there is no room and not waiting).
     * @throws IOException as the JDK's channels.
     */
    int write(final StreamRsocket s, final ByteBuffer src, final boolean wait) throws IOException
    {
        final int length = src.remaining();
        if (0 == length)
        {
            return 0;
        }
        final MemorySegment segment = segment(writeSegments, src);
        final int position = src.position();
        final long offset = src.isDirect() ? position : src.arrayOffset() + position;
        int n = 0;
        try
        {
            if (wait)
            {
                channel.beginBlocking();
            }
            n = s.send(segment, offset, length, wait ? 0 : StreamRsocket.MSG_DONTWAIT);
        }
        finally
        {
            if (wait)
            {
                channel.endBlocking(n > 0);
            }
        }
        checkInterrupted(n);
        if (n > 0)
        {
            src.position(position + n);
            return n;
        }
        if (-Errno.EAGAIN.code() == n || 0 == n)
        {
            return 0;
        }
        if (-Errno.EBADF.code() == n && !channel.isOpen())
        {
            throw new ClosedChannelException();
        }
        throw RsocketSupport.exception(-n, "write to " + channel.remote());
    }

    /**
     * An engine wait that saw the interrupt before the channel's interruptor closed the channel: finish what
     * the interruptor does (close), and report it as the JDK does.
     *
     * @param n the engine's result.
     * @throws IOException {@link ClosedByInterruptException} for {@code -EINTR}.
     */
    void checkInterrupted(final int n) throws IOException
    {
        if (-Errno.EINTR.code() == n)
        {
            channel.close();
            throw new ClosedByInterruptException();
        }
    }

    /** @return a segment over the whole backing array or direct buffer (cached: no allocation when reused). */
    private static MemorySegment segment(final SegmentCache cache, final ByteBuffer buffer)
    {
        if (buffer.isDirect())
        {
            return cache.of(buffer);
        }
        if (!buffer.hasArray())
        {
            // A read-only heap buffer: a temporary segment (rare; the JDK copies too).
            return MemorySegment.ofBuffer(buffer.duplicate().clear());
        }
        return cache.of(buffer.array());
    }
}
