package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.cm.PlainTcpConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A listener that takes rsockets and plain TCP clients on one port ({@link StreamRsocket#listen(int, boolean)}),
 * on any provider: on the tcp provider one TCP port carries both and the provider tells them apart; on RDMA
 * hardware the RDMA CM port and the TCP port of the same number are separate.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SharedTcpPortConformance extends AbstractVerbsTest
{
    private StreamRsocket sharedListener() throws ErrnoException
    {
        final StreamRsocket listener = StreamRsocket.open(provider(), Pair.CONFIG);
        try
        {
            listener.bind(new InetSocketAddress(testAddress(), 0));
            listener.listen(8, true);
        }
        catch (final ErrnoException | RuntimeException e)
        {
            listener.close();
            throw e;
        }
        assertTrue(listener.sharesTcpPort());
        return listener;
    }

    @Test
    public void shouldAcceptPlainAndRsocketClientsOnOnePortInArrivalOrder() throws Exception
    {
        try (StreamRsocket listener = sharedListener();
             SocketChannel plain = SocketChannel.open(Pair.addressOf(listener)))
        {
            // A client that speaks first, with more than the bytes the provider may look at.
            final byte[] request = "GET / HTTP/1.1\r\nHost: rdmasockets\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            plain.write(ByteBuffer.wrap(request));
            final Object first = listener.acceptAny(10_000);
            final PlainTcpConnection connection = assertInstanceOf(PlainTcpConnection.class, first);
            try (SocketChannel accepted = connection.channel())
            {
                assertArrayEquals(request, readFully(connection, request.length), "the plain client's bytes, none lost");
                accepted.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII)));
                final ByteBuffer reply = ByteBuffer.allocate(17);
                while (reply.hasRemaining() && plain.read(reply) >= 0)
                {
                    // Until the whole status line is in.
                }
                assertEquals("HTTP/1.1 200 OK\r\n", new String(reply.array(), StandardCharsets.US_ASCII));
            }
            try (StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG))
            {
                client.connect(Pair.addressOf(listener));
                final Object second = listener.acceptAny(10_000);
                try (StreamRsocket server = assertInstanceOf(StreamRsocket.class, second))
                {
                    Pair.assertWorks(client, server);
                    Pair.assertWorks(server, client);
                }
            }
        }
    }

    @Test
    public void shouldHandOnAClientThatWaitsForTheServerToSpeakFirst() throws Exception
    {
        try (StreamRsocket listener = sharedListener();
             SocketChannel plain = SocketChannel.open(Pair.addressOf(listener)))
        {
            final PlainTcpConnection connection = assertInstanceOf(PlainTcpConnection.class, listener.acceptAny(10_000));
            try (SocketChannel accepted = connection.channel())
            {
                assertEquals(0, connection.received().length, "nothing was sent");
                accepted.write(ByteBuffer.wrap(new byte[] {'2', '2', '0', ' '}));
                final ByteBuffer greeting = ByteBuffer.allocate(4);
                while (greeting.hasRemaining() && plain.read(greeting) >= 0)
                {
                    // Until the greeting is in.
                }
                assertEquals("220 ", new String(greeting.array(), StandardCharsets.US_ASCII));
                plain.write(ByteBuffer.wrap(new byte[] {'Q'}));
                final ByteBuffer in = ByteBuffer.allocate(1);
                assertEquals(1, accepted.read(in));
                assertEquals('Q', in.get(0));
            }
        }
    }

    @Test
    public void shouldTellABinaryClientThatStartsLikeARequestFromOne() throws Exception
    {
        try (StreamRsocket listener = sharedListener();
             SocketChannel plain = SocketChannel.open(Pair.addressOf(listener)))
        {
            // The first bytes of a connection request (type 1, then zeros), but no magic after the header.
            final byte[] hello = new byte[40];
            hello[0] = 1;
            for (int i = 8; i < hello.length; i++)
            {
                hello[i] = (byte)i;
            }
            plain.write(ByteBuffer.wrap(hello));
            final PlainTcpConnection connection = assertInstanceOf(PlainTcpConnection.class, listener.acceptAny(10_000));
            try (SocketChannel accepted = connection.channel())
            {
                assertArrayEquals(hello, readFully(connection, hello.length));
                assertTrue(accepted.isBlocking(), "handed on in blocking mode");
            }
        }
    }

    @Test
    public void shouldReportAWaitingPlainClientAsReadableAndNotBlockWhenNonblocking() throws Exception
    {
        try (StreamRsocket listener = sharedListener())
        {
            listener.nonblocking(true);
            final ErrnoException none = assertThrows(ErrnoException.class, () -> listener.acceptAny(0));
            assertEquals(Errno.EAGAIN.code(), none.errno());
            assertEquals(0, listener.pollEvents() & StreamRsocket.POLLIN);
            try (SocketChannel plain = SocketChannel.open(Pair.addressOf(listener)))
            {
                plain.write(ByteBuffer.wrap(new byte[] {'x'}));
                assertTrue(Pair.within(10_000, () -> 0 != (listener.pollEvents() & StreamRsocket.POLLIN)),
                    "a plain client waiting for accept shows as POLLIN");
                final PlainTcpConnection connection = assertInstanceOf(PlainTcpConnection.class, listener.acceptAny(0));
                connection.channel().close();
                assertEquals(0, listener.pollEvents() & StreamRsocket.POLLIN);
            }
        }
    }

    @Test
    public void shouldCloseWaitingPlainClientsWithTheListener() throws Exception
    {
        final StreamRsocket listener = sharedListener();
        try (SocketChannel plain = SocketChannel.open(Pair.addressOf(listener)))
        {
            plain.write(ByteBuffer.wrap(new byte[] {'x'}));
            assertTrue(Pair.within(10_000, () -> 0 != (listener.pollEvents() & StreamRsocket.POLLIN)));
            listener.close();
            plain.socket().setSoTimeout(10_000);
            int n;
            try
            {
                n = plain.socket().getInputStream().read();
            }
            catch (final IOException reset)
            {
                n = -1;
            }
            assertEquals(-1, n, "the waiting client sees its connection end");
        }
        finally
        {
            listener.close();
        }
    }

    @Test
    public void shouldRefuseThePlainAcceptOnASharedListener() throws Exception
    {
        try (StreamRsocket listener = sharedListener())
        {
            final ErrnoException e = assertThrows(ErrnoException.class, () -> listener.accept(100));
            assertEquals(Errno.EINVAL.code(), e.errno(), e.getMessage());
        }
        try (StreamRsocket plainOnly = Pair.listen(provider(), -1))
        {
            assertFalse(plainOnly.sharesTcpPort());
            final ErrnoException e = assertThrows(ErrnoException.class, () -> plainOnly.listen(8, true));
            assertEquals(Errno.EINVAL.code(), e.errno(), "switching an rsocket-only listener: " + e.getMessage());
        }
    }

    @Test
    public void shouldFailWithEaddrinuseWhenAKernelSocketHoldsTheTcpPort() throws Exception
    {
        try (java.net.ServerSocket holder = new java.net.ServerSocket(0, 1, testAddress());
             StreamRsocket listener = StreamRsocket.open(provider(), Pair.CONFIG))
        {
            // The tcp provider refuses at bind (one port space); hardware at listen (the TCP port).
            final ErrnoException e = assertThrows(ErrnoException.class, () ->
            {
                listener.bind(new InetSocketAddress(testAddress(), holder.getLocalPort()));
                listener.listen(8, true);
            });
            assertEquals(Errno.EADDRINUSE.code(), e.errno(), e.getMessage());
        }
    }

    /** @return the connection's first {@code length} bytes: those the provider read, then the channel's. */
    private static byte[] readFully(final PlainTcpConnection connection, final int length) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(connection.received());
        final ByteBuffer buffer = ByteBuffer.allocate(length);
        buffer.limit(length - out.size());
        while (buffer.hasRemaining())
        {
            if (connection.channel().read(buffer) < 0)
            {
                break;
            }
        }
        out.write(buffer.array(), 0, buffer.position());
        return out.toByteArray();
    }
}
