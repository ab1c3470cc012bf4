package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.cm.PlainTcpConnection;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;
import java.util.function.Consumer;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;

/**
 * Tells an rsocket's connection request from a plain TCP client on a port that both share
 * ({@link io.rdmasockets.verbs.cm.CmId#shareTcpPort}), on the listener's reactor thread. A connection
 * request opens with a REQ header (type 1; flags, status and the upper half of the body length zero)
 * and a body that starts with {@link TcpFrameDescriptor#MAGIC}: the first {@value #LENGTH} bytes decide.
 * The first byte that cannot belong to a REQ makes it a plain client at once; a client that sends
 * nothing for {@link TcpConfiguration#sniffTimeoutNs()} (a protocol where the server speaks first) is a
 * plain one too, as is one that stops part-way (a REQ is written whole, in one frame). The bytes read
 * go with the plain connection ({@link PlainTcpConnection#received()}) or seed the connection's frame
 * reader.
 */
final class PortSniffer extends ReactorHandler
{
    /** A REQ header and its body's magic. */
    static final int LENGTH = HEADER_LENGTH + 4;

    private static final int SNIFFING = 0;
    private static final int PLAIN = 1;
    private static final int REQUEST = 2;
    private static final int DROPPED = 3;
    private static final java.util.function.Consumer<SelectionKey> IGNORE = key -> { };

    private final TcpListener listener;
    private final Reactor reactor;
    private final SocketChannel channel;
    private final Consumer<PlainTcpConnection> sink;
    private final ByteBuffer seen = ByteBuffer.allocate(LENGTH);
    private final long deadlineNs;
    private SelectionKey key;
    private int verdict = SNIFFING;

    private PortSniffer(final TcpListener listener, final Reactor reactor, final SocketChannel channel,
        final Consumer<PlainTcpConnection> sink)
    {
        this.listener = listener;
        this.reactor = reactor;
        this.channel = channel;
        this.sink = sink;
        final long d = System.nanoTime() + TcpConfiguration.sniffTimeoutNs();
        this.deadlineNs = 0 == d ? 1 : d;
    }

    /**
     * Starts watching an accepted socket (reactor thread).
     *
     * @param listener the listener that accepted it.
     * @param reactor  the listener's reactor, the current thread's.
     * @param channel  the socket, non-blocking.
     * @param sink     where plain connections go.
     * @throws IOException when it cannot be registered.
     */
    static void start(final TcpListener listener, final Reactor reactor, final SocketChannel channel,
        final Consumer<PlainTcpConnection> sink) throws IOException
    {
        final PortSniffer sniffer = new PortSniffer(listener, reactor, channel, sink);
        channel.configureBlocking(false);
        reactor.acquire();
        try
        {
            sniffer.key = channel.register(reactor.selector(), SelectionKey.OP_READ, sniffer);
        }
        catch (final IOException | RuntimeException ex)
        {
            reactor.release();
            throw ex;
        }
        reactor.addTimed(sniffer);
    }

    /**
     * @param b the bytes so far.
     * @param n how many.
     * @return whether they can still begin a REQ frame with its magic.
     */
    static boolean couldBeRequest(final byte[] b, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final int expected = switch (i)
            {
                case TYPE_OFFSET -> TYPE_REQ;
                case FLAGS_OFFSET, STATUS_OFFSET, STATUS_OFFSET + 1, LENGTH_OFFSET, LENGTH_OFFSET + 1 -> 0;
                case HEADER_LENGTH -> MAGIC >>> 24;
                case HEADER_LENGTH + 1 -> (MAGIC >>> 16) & 0xFF;
                case HEADER_LENGTH + 2 -> (MAGIC >>> 8) & 0xFF;
                case HEADER_LENGTH + 3 -> MAGIC & 0xFF;
                default -> -1;
            };
            if (expected >= 0 && (b[i] & 0xFF) != expected)
            {
                return false;
            }
        }
        return true;
    }

    @Override
    void onReady(final int readyOps)
    {
        if (SNIFFING != verdict)
        {
            return;
        }
        int n;
        try
        {
            n = channel.read(seen);
        }
        catch (final IOException ex)
        {
            n = -1;
        }
        if (n < 0)
        {
            decide(DROPPED);
        }
        else if (!couldBeRequest(seen.array(), seen.position()))
        {
            decide(PLAIN);
        }
        else if (LENGTH == seen.position())
        {
            decide(REQUEST);
        }
    }

    /** Stops watching; the socket changes hands in {@link #onScheduled()}, once its key is flushed. */
    private void decide(final int outcome)
    {
        verdict = outcome;
        key.cancel();
        // Inside the reactor's select: the cancelled key is flushed by a select outside it.
        reactor.schedule(this);
    }

    @Override
    void onScheduled()
    {
        try
        {
            // Deregisters the channel now, so that it may block or join another selector.
            reactor.selector().selectNow(IGNORE);
            final byte[] bytes = Arrays.copyOf(seen.array(), seen.position());
            switch (verdict)
            {
                case PLAIN ->
                {
                    channel.configureBlocking(true);
                    sink.accept(new PlainTcpConnection(channel, bytes));
                }
                case REQUEST -> TcpConnection.accepted(listener, channel, bytes);
                default -> close();
            }
        }
        catch (final IOException | RuntimeException ex)
        {
            close();
        }
        finally
        {
            reactor.release();
        }
    }

    @Override
    long deadlineNs()
    {
        return SNIFFING == verdict ? deadlineNs : 0;
    }

    @Override
    void onDeadline()
    {
        if (SNIFFING == verdict)
        {
            decide(PLAIN);
        }
    }

    @Override
    void onFailure(final Throwable cause)
    {
        if (SNIFFING == verdict)
        {
            decide(DROPPED);
        }
    }

    private void close()
    {
        try
        {
            channel.close();
        }
        catch (final IOException ignored)
        {
            // Nothing more to release.
        }
    }
}
