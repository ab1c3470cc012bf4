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

/**
 * The JDK baseline for {@link VerbsPingPong}: blocking NIO {@link SocketChannel}s on loopback with
 * TCP_NODELAY; each side writes {@code size} bytes and the other reads them fully before answering.
 * Direct buffers are reused, so the loops allocate nothing.
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
     * @return the measured round trips.
     * @throws Exception when a socket or the peer fails.
     */
    static LatencyResult run(final int size, final Phase warmup, final Phase measure) throws Exception
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final PeerThread<Long> echo = new PeerThread<>("rsock-nio-echo", () -> echo(listener, size)).start();
            final Histogram histogram = LatencyResult.newHistogram();
            final long nanos;
            try (SocketChannel channel = SocketChannel.open(listener.getLocalAddress()))
            {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(size);
                for (long start = System.nanoTime(), done = 0; !warmup.isEmpty() && warmup.running(start, done); done++)
                {
                    roundTrip(channel, buffer);
                }
                final long start = System.nanoTime();
                long done = 0;
                while (measure.running(start, done))
                {
                    final long t0 = System.nanoTime();
                    roundTrip(channel, buffer);
                    histogram.recordValue(Math.min(System.nanoTime() - t0, LatencyResult.HIGHEST_NANOS));
                    done++;
                }
                nanos = System.nanoTime() - start;
            }
            echo.join(Duration.ofSeconds(10));
            return new LatencyResult(histogram, nanos);
        }
    }

    private static void roundTrip(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        buffer.clear();
        writeFully(channel, buffer);
        buffer.clear();
        if (!readFully(channel, buffer))
        {
            throw new EOFException("echo side closed the connection");
        }
    }

    private static Long echo(final ServerSocketChannel listener, final int size) throws IOException
    {
        try (SocketChannel channel = listener.accept())
        {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            final ByteBuffer buffer = ByteBuffer.allocateDirect(size);
            long count = 0;
            while (true)
            {
                buffer.clear();
                if (!readFully(channel, buffer))
                {
                    return count;
                }
                buffer.flip();
                writeFully(channel, buffer);
                count++;
            }
        }
    }

    /** @return false on end of stream before the first byte; throws on end of stream after it. */
    static boolean readFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        final int wanted = buffer.remaining();
        while (buffer.hasRemaining())
        {
            if (channel.read(buffer) < 0)
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

    static void writeFully(final SocketChannel channel, final ByteBuffer buffer) throws IOException
    {
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
    }
}
