package io.rdmasockets.tools.bench;

import org.HdrHistogram.Histogram;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.rdmasockets.tools.verbs.IdleStrategy;

/**
 * The JDK baseline for {@link VerbsPingPong}: NIO {@link SocketChannel}s on loopback with TCP_NODELAY;
 * each side writes {@code size} bytes and the other reads them fully before answering. With an idle
 * strategy the channels are non-blocking and polled the way the provider's completion queue is (the
 * fair comparison); without one they block in the kernel. Direct buffers are reused, so the loops
 * allocate nothing.
 */
final class NioPingPong
{
    private NioPingPong()
    {
    }

    /**
     * @param size    bytes per message.
     * @param warmup  the warm-up phase, not measured.
     * @param measure the measured phase.
     * @param poll    how to wait between empty non-blocking reads, or {@code null} for blocking channels.
     * @return the measured round trips.
     * @throws Exception when a socket or the peer fails.
     */
    static LatencyResult run(final int size, final Phase warmup, final Phase measure, final IdleStrategy poll)
        throws Exception
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final PeerThread<Long> echo = new PeerThread<>("rsock-nio-echo", () -> echo(listener, size, poll)).start();
            final Histogram histogram = LatencyResult.newHistogram();
            final long nanos;
            try (SocketChannel channel = SocketChannel.open(listener.getLocalAddress()))
            {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.configureBlocking(null == poll);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(size);
                for (long start = System.nanoTime(), done = 0; !warmup.isEmpty() && warmup.running(start, done); done++)
                {
                    roundTrip(channel, buffer, poll);
                }
                final long start = System.nanoTime();
                long done = 0;
                while (measure.running(start, done))
                {
                    final long t0 = System.nanoTime();
                    roundTrip(channel, buffer, poll);
                    histogram.recordValue(Math.min(System.nanoTime() - t0, LatencyResult.HIGHEST_NANOS));
                    done++;
                }
                nanos = System.nanoTime() - start;
            }
            echo.join(Duration.ofSeconds(10));
            return new LatencyResult(histogram, nanos);
        }
    }

    private static void roundTrip(final SocketChannel channel, final ByteBuffer buffer, final IdleStrategy poll)
        throws IOException
    {
        buffer.clear();
        writeFully(channel, buffer, poll);
        buffer.clear();
        if (!readFully(channel, buffer, poll))
        {
            throw new EOFException("echo side closed the connection");
        }
    }

    private static Long echo(final ServerSocketChannel listener, final int size, final IdleStrategy poll)
        throws IOException
    {
        try (SocketChannel channel = listener.accept())
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.configureBlocking(null == poll);
            final ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            long count = 0;
            while (true)
            {
                buffer.clear();
                if (!readFully(channel, buffer, poll))
                {
                    return count;
                }
                buffer.flip();
                writeFully(channel, buffer, poll);
                count++;
            }
        }
    }

    /**
     * @param poll the idle strategy between empty reads of a non-blocking channel, or {@code null}.
     * @return false on end of stream before the first byte; throws on end of stream after it.
     */
    static boolean readFully(final SocketChannel channel, final ByteBuffer buffer, final IdleStrategy poll)
        throws IOException
    {
        final int wanted = buffer.remaining();
        while (buffer.hasRemaining())
        {
            final int n = channel.read(buffer);
            if (0 == n && null != poll)
            {
                poll.idle();
            }
            else if (n < 0)
            {
                if (buffer.remaining() == wanted)
                {
                    return false;
                }
                throw new EOFException("end of stream in the middle of a message");
            }
        }
        return true;
    }

    /** @param poll the idle strategy when a non-blocking channel takes nothing, or {@code null}. */
    static void writeFully(final SocketChannel channel, final ByteBuffer buffer, final IdleStrategy poll)
        throws IOException
    {
        while (buffer.hasRemaining())
        {
            if (0 == channel.write(buffer) && null != poll)
            {
                poll.idle();
            }
        }
    }
}
