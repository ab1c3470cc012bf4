package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.ToolException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

import io.rdmasockets.tools.verbs.IdleStrategy;

/**
 * The JDK baseline for {@link VerbsStream}: the client writes {@code size}-byte messages on a blocking
 * NIO {@link SocketChannel} until the phase ends, then shuts its output down; the server reads until
 * end of stream and answers with the byte count, which ends the measurement and is checked. Direct
 * buffers are reused, so the loops allocate nothing.
 */
final class NioStream
{
    /** The receiver reads in chunks of at least this many bytes, as a real consumer would. */
    private static final int READ_CHUNK = 256 * 1024;

    private NioStream()
    {
    }

    /**
     * @param size    bytes per write.
     * @param warmup  the warm-up phase, not measured.
     * @param measure the measured phase.
     * @param poll    how to wait when a non-blocking channel has nothing, or {@code null} for blocking.
     * @return the measured phase.
     * @throws Exception when a socket or the peer fails.
     */
    static ThroughputResult run(final int size, final Phase warmup, final Phase measure, final IdleStrategy poll)
        throws Exception
    {
        try (ServerSocketChannel listener = ServerSocketChannel.open())
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            final PeerThread<Long> sink = new PeerThread<>("rsock-nio-sink", () -> sink(listener, size, poll)).start();
            try (SocketChannel channel = SocketChannel.open(listener.getLocalAddress()))
            {
                channel.configureBlocking(null == poll);
                final ByteBuffer buffer = ByteBuffer.allocateDirect(size);
                final long warmupMessages = warmup.isEmpty() ? 0 : stream(channel, buffer, warmup, poll);
                final long start = System.nanoTime();
                final long messages = stream(channel, buffer, measure, poll);
                channel.shutdownOutput();
                final ByteBuffer ack = ByteBuffer.allocateDirect(Long.BYTES);
                if (!NioPingPong.readFully(channel, ack, poll))
                {
                    sink.throwIfFailed();
                    throw new ToolException("server closed without acknowledging");
                }
                final long nanos = System.nanoTime() - start;
                final long received = ack.flip().getLong();
                final long sent = (warmupMessages + messages) * size;
                if (received != sent)
                {
                    throw new ToolException("server received " + received + " bytes, client sent " + sent);
                }
                sink.join(Duration.ofSeconds(10));
                return new ThroughputResult(messages, messages * size, nanos);
            }
        }
    }

    private static long stream(final SocketChannel channel, final ByteBuffer buffer, final Phase phase,
        final IdleStrategy poll) throws IOException
    {
        final long start = System.nanoTime();
        long messages = 0;
        while (phase.running(start, messages))
        {
            buffer.clear();
            NioPingPong.writeFully(channel, buffer, poll);
            messages++;
        }
        return messages;
    }

    private static Long sink(final ServerSocketChannel listener, final int size, final IdleStrategy poll)
        throws IOException
    {
        try (SocketChannel channel = listener.accept())
        {
            channel.configureBlocking(null == poll);
            final ByteBuffer buffer = ByteBuffer.allocateDirect(Math.max(size, READ_CHUNK));
            long total = 0;
            while (true)
            {
                buffer.clear();
                final int n = channel.read(buffer);
                if (n < 0)
                {
                    break;
                }
                if (0 == n && null != poll)
                {
                    poll.idle();
                }
                total += n;
            }
            final ByteBuffer ack = ByteBuffer.allocateDirect(Long.BYTES).putLong(total).flip();
            NioPingPong.writeFully(channel, ack, poll);
            return total;
        }
    }
}
