package io.rdmasockets.nio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A connect routed to rsockets whose destination has no rsocket listener, only a plain TCP server, falls
 * back to TCP: blocking, and non-blocking through a selector.
 */
@Timeout(60)
class TcpFallbackTest
{
    private final RdmaSelectorProvider provider = new RdmaSelectorProvider(Router.allRsockets());
    private ServerSocketChannel plainServer;
    private Thread serverThread;
    private final AtomicInteger accepted = new AtomicInteger();

    /**
     * A JDK (kernel) echo server. On the tcp verbs provider an rsocket connect reaches it over TCP too; it
     * answers the verbs handshake by closing, as a server that does not speak it would (or it never answers,
     * and the handshake times out).
     */
    private InetSocketAddress startPlainEchoServer() throws IOException
    {
        plainServer = SelectorProvider.provider().openServerSocketChannel()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        serverThread = Thread.ofPlatform().daemon().start(() ->
        {
            try
            {
                while (true)
                {
                    try (SocketChannel c = plainServer.accept())
                    {
                        accepted.incrementAndGet();
                        final ByteBuffer b = ByteBuffer.allocate(64);
                        if (c.read(b) <= 0 || startsWithFrameHeader(b))
                        {
                            continue;
                        }
                        b.flip();
                        c.write(b);
                        c.read(ByteBuffer.allocate(1));
                    }
                }
            }
            catch (final IOException ignored)
            {
                // Closed by the test.
            }
        });
        return (InetSocketAddress)plainServer.getLocalAddress();
    }

    /** The tcp provider's CM request: anything longer than an application message here. */
    private static boolean startsWithFrameHeader(final ByteBuffer b)
    {
        return b.position() > 8;
    }

    @AfterEach
    void stop() throws Exception
    {
        if (null != plainServer)
        {
            plainServer.close();
            serverThread.join(5000);
        }
    }

    @Test
    void shouldFallBackToTcpOnABlockingConnect() throws Exception
    {
        final InetSocketAddress address = startPlainEchoServer();
        try (SocketChannel c = provider.openSocketChannel())
        {
            assertTrue(c.connect(address));
            assertTrue(c.toString().contains("kernel"), c.toString());
            assertEcho(c);
        }
        assertEquals(2, accepted.get(), "the rsocket attempt, then the TCP connection");
    }

    @Test
    void shouldFallBackToTcpOnANonBlockingConnectThroughASelector() throws Exception
    {
        final InetSocketAddress address = startPlainEchoServer();
        try (SocketChannel c = provider.openSocketChannel(); Selector selector = provider.openSelector())
        {
            c.configureBlocking(false);
            assertFalse(c.connect(address), "an rsocket connect is under way");
            final SelectionKey key = c.register(selector, SelectionKey.OP_CONNECT);
            final long deadline = System.nanoTime() + 30_000_000_000L;
            while (!c.isConnected() && System.nanoTime() < deadline)
            {
                selector.select(1000);
                if (key.isValid() && key.isConnectable() && selector.selectedKeys().remove(key))
                {
                    // Netty's contract (NioSocketChannel.doFinishConnect throws Error on false): OP_CONNECT is
                    // reported only once finishConnect completes, also across the fallback.
                    assertTrue(c.finishConnect(), "finishConnect after OP_CONNECT: " + c);
                }
            }
            assertTrue(c.isConnected());
            assertTrue(c.toString().contains("kernel"), c.toString());
            assertThrows(java.nio.channels.IllegalBlockingModeException.class, () -> c.configureBlocking(true),
                "still registered: the JDK refuses blocking mode");
            key.cancel();
            selector.selectNow();
            c.configureBlocking(true);
            assertEcho(c);
        }
        assertEquals(2, accepted.get());
    }

    /**
     * The refusal reaches the rsocket before the select starts: the select's first poll falls back, and the
     * TCP connect it starts must still be reported (once a selectNow inside consumed the wakeup that announced
     * the new kernel socket, a blocking select slept through its refusal, and Netty's connect hung).
     */
    @Test
    void shouldReportARefusedFallbackConnectThroughABlockingSelect() throws Exception
    {
        final InetSocketAddress closed;
        try (ServerSocketChannel s = SelectorProvider.provider().openServerSocketChannel()
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)))
        {
            closed = (InetSocketAddress)s.getLocalAddress();
        }
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try (SocketChannel c = provider.openSocketChannel(); Selector selector = provider.openSelector())
            {
                c.configureBlocking(false);
                assertFalse(c.connect(closed), "an rsocket connect is under way");
                final SelectionKey key = c.register(selector, SelectionKey.OP_CONNECT);
                // Time for the refusal to arrive on loopback, so that the select below is the one that sees it.
                Thread.sleep(200);
                assertEquals(1, selector.select(20_000), "OP_CONNECT for the refused TCP fallback");
                assertTrue(key.isConnectable());
                assertThrows(java.net.ConnectException.class, c::finishConnect);
                assertFalse(c.isOpen(), "a failed connect closes the channel, as the JDK's");
            }
        }
    }

    private static void assertEcho(final SocketChannel c) throws IOException
    {
        c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        final ByteBuffer in = ByteBuffer.allocate(3);
        while (in.hasRemaining())
        {
            assertTrue(c.read(in) >= 0);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, in.array());
    }
}
