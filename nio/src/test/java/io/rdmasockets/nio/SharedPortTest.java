package io.rdmasockets.nio;

import io.rdmasockets.rsocket.engine.StreamRsocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A server socket routed to rsockets that also takes plain TCP clients on its port ({@link Router#acceptTcp}):
 * one selector loop serves both kinds; a blocking {@code ServerSocket} adaptor too.
 */
@Timeout(60)
class SharedPortTest
{
    private final RdmaSelectorProvider provider = new RdmaSelectorProvider(Router.allRsocketsAcceptingTcp());
    private final List<String> acceptedKinds = new CopyOnWriteArrayList<>();
    private ServerSocketChannel server;
    private Thread loop;

    @AfterEach
    void stop() throws Exception
    {
        if (null != server)
        {
            server.close();
        }
        if (null != loop)
        {
            loop.interrupt();
            loop.join(10_000);
        }
    }

    /** A selector-driven echo server on the shared port. */
    private InetSocketAddress startEchoServer() throws IOException
    {
        server = provider.openServerSocketChannel().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertTrue(server.toString().contains("rsocket"), server.toString());
        server.configureBlocking(false);
        final Selector selector = provider.openSelector();
        server.register(selector, SelectionKey.OP_ACCEPT);
        loop = Thread.ofPlatform().daemon().name("shared-echo").start(() ->
        {
            final ByteBuffer buffer = ByteBuffer.allocate(256);
            try (selector)
            {
                while (!Thread.currentThread().isInterrupted() && server.isOpen())
                {
                    selector.select(key ->
                    {
                        try
                        {
                            if (key.isAcceptable())
                            {
                                final SocketChannel c = ((ServerSocketChannel)key.channel()).accept();
                                if (null != c)
                                {
                                    acceptedKinds.add(c.toString().contains("kernel") ? "kernel" : "rsocket");
                                    c.configureBlocking(false);
                                    c.register(selector, SelectionKey.OP_READ);
                                }
                            }
                            else if (key.isReadable())
                            {
                                final SocketChannel c = (SocketChannel)key.channel();
                                buffer.clear();
                                if (c.read(buffer) < 0)
                                {
                                    c.close();
                                    return;
                                }
                                buffer.flip();
                                while (buffer.hasRemaining())
                                {
                                    c.write(buffer);
                                }
                            }
                        }
                        catch (final IOException e)
                        {
                            key.cancel();
                        }
                    }, 1000);
                }
            }
            catch (final IOException | java.nio.channels.ClosedSelectorException ignored)
            {
                // The test is over.
            }
        });
        return (InetSocketAddress)server.getLocalAddress();
    }

    private static String echo(final SocketChannel c, final String message) throws IOException
    {
        c.write(ByteBuffer.wrap(message.getBytes(StandardCharsets.US_ASCII)));
        final ByteBuffer in = ByteBuffer.allocate(message.length());
        while (in.hasRemaining())
        {
            if (c.read(in) < 0)
            {
                fail("end of stream after " + in.position() + " bytes");
            }
        }
        return new String(in.array(), StandardCharsets.US_ASCII);
    }

    @Test
    void shouldServePlainAndRsocketClientsFromOneSelectorOnOnePort() throws Exception
    {
        final InetSocketAddress address = startEchoServer();
        final int before = StreamRsocket.openSockets();
        // A JDK client that has never heard of rsockets, and one of ours.
        try (SocketChannel plain = SelectorProvider.provider().openSocketChannel();
             SocketChannel rdma = new RdmaSelectorProvider(Router.allRsockets()).openSocketChannel())
        {
            plain.connect(address);
            // Its first bytes arrive before the server accepts: the selector must report them all the same.
            assertEquals("hello over tcp", echo(plain, "hello over tcp"));
            rdma.connect(address);
            assertTrue(rdma.toString().contains("rsocket"), "no fallback: " + rdma);
            assertEquals("hello over rdma", echo(rdma, "hello over rdma"));
            assertTrue(StreamRsocket.openSockets() >= before + 2, "the rsocket client and its accepted peer");
            for (int i = 0; i < 100; i++)
            {
                assertEquals("tcp " + i, echo(plain, "tcp " + i));
                assertEquals("rdma " + i, echo(rdma, "rdma " + i));
            }
        }
        assertEquals(List.of("kernel", "rsocket"), acceptedKinds);
    }

    @Test
    void shouldAcceptAPlainClientThatWaitsForTheServerThroughTheBlockingAdaptor() throws Exception
    {
        server = provider.openServerSocketChannel();
        final ServerSocket ss = server.socket();
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        ss.setSoTimeout(20_000);
        try (Socket plain = new Socket())
        {
            // The JDK's own socket (no factory installed): a client whose server speaks first.
            plain.connect(ss.getLocalSocketAddress(), 10_000);
            try (Socket accepted = ss.accept())
            {
                accepted.getOutputStream().write("220 ready\r\n".getBytes(StandardCharsets.US_ASCII));
                final InputStream in = plain.getInputStream();
                assertEquals("220 ready\r\n", new String(in.readNBytes(11), StandardCharsets.US_ASCII));
                plain.getOutputStream().write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("QUIT\r\n", new String(accepted.getInputStream().readNBytes(6), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void shouldKeepRsocketOnlyServersClosedToPlainClients() throws Exception
    {
        server = new RdmaSelectorProvider(Router.allRsockets()).openServerSocketChannel()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        server.socket().setSoTimeout(2000);
        try (SocketChannel plain = SocketChannel.open(server.getLocalAddress()))
        {
            plain.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
            // On the tcp provider the plain client reached the provider's port, which drops what is not a
            // connection request; no plain connection is ever accepted.
            assertThrows(java.net.SocketTimeoutException.class, () -> server.socket().accept());
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
            assertEquals(-1, n, "the provider closed it");
        }
    }
}
