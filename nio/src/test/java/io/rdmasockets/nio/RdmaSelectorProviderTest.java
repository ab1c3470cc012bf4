package io.rdmasockets.nio;

import io.rdmasockets.rsocket.engine.StreamRsocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The provider on the tcp verbs provider: rsockets and kernel sockets chosen by address, one selector over
 * both, blocking and non-blocking use.
 */
@Timeout(30)
class RdmaSelectorProviderTest
{
    /** 127.0.0.1 is routed to rsockets, any other address (127.0.0.2) to the kernel. */
    private static final InetAddress RSOCKET_HOST = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress KERNEL_HOST = new InetSocketAddress("127.0.0.2", 0);

    private final RdmaSelectorProvider provider = new RdmaSelectorProvider(
        (operation, address) -> address.getAddress().equals(RSOCKET_HOST));
    private final Closeables closeables = new Closeables();

    @AfterEach
    void close() throws Exception
    {
        closeables.close();
    }

    private <T extends AutoCloseable> T track(final T c)
    {
        return closeables.track(c);
    }

    private ServerSocketChannel listen(final InetSocketAddress at) throws IOException
    {
        return track(provider.openServerSocketChannel()).bind(at);
    }

    @Test
    void shouldRouteByAddressAndEchoThroughOneSelector() throws Exception
    {
        final int before = StreamRsocket.openSockets();
        final ServerSocketChannel rsocketServer = listen(new InetSocketAddress(RSOCKET_HOST, 0));
        final ServerSocketChannel kernelServer = listen(KERNEL_HOST);
        assertTrue(rsocketServer.toString().contains("rsocket"), rsocketServer.toString());
        assertTrue(kernelServer.toString().contains("kernel"), kernelServer.toString());
        assertEquals(before + 1, StreamRsocket.openSockets(), "one rsocket: the routed listener");

        final Selector selector = track(provider.openSelector());
        for (final ServerSocketChannel s : List.of(rsocketServer, kernelServer))
        {
            s.configureBlocking(false);
            s.register(selector, SelectionKey.OP_ACCEPT);
        }
        final SocketChannel toRsocket = connectNonBlocking(selector, rsocketServer);
        final SocketChannel toKernel = connectNonBlocking(selector, kernelServer);
        assertTrue(toRsocket.toString().contains("rsocket"));
        assertTrue(toKernel.toString().contains("kernel"));

        final int[] echoed = new int[2];
        final ByteBuffer[] echoes = new ByteBuffer[2];
        final byte[] message = "hello over two stacks".getBytes();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while ((echoed[0] < message.length || echoed[1] < message.length) && System.nanoTime() < deadline)
        {
            selector.select(1000);
            for (final SelectionKey key : selector.selectedKeys())
            {
                if (key.isAcceptable())
                {
                    final SocketChannel accepted = ((ServerSocketChannel)key.channel()).accept();
                    if (null != accepted)
                    {
                        track(accepted).configureBlocking(false);
                        accepted.register(selector, SelectionKey.OP_READ, ByteBuffer.allocate(256));
                    }
                }
                else if (key.isConnectable())
                {
                    final SocketChannel c = (SocketChannel)key.channel();
                    if (c.finishConnect())
                    {
                        key.interestOps(SelectionKey.OP_WRITE);
                    }
                }
                else if (key.isWritable())
                {
                    final SocketChannel c = (SocketChannel)key.channel();
                    c.write(ByteBuffer.wrap(message));
                    key.interestOps(SelectionKey.OP_READ);
                    key.attach(ByteBuffer.allocate(256));
                }
                else if (key.isReadable())
                {
                    final SocketChannel c = (SocketChannel)key.channel();
                    final ByteBuffer b = (ByteBuffer)key.attachment();
                    final int n = c.read(b);
                    if (n > 0 && c != toRsocket && c != toKernel)
                    {
                        // Server side: echo.
                        b.flip();
                        while (b.hasRemaining())
                        {
                            c.write(b);
                        }
                        b.clear();
                    }
                    else if (n > 0)
                    {
                        echoed[c == toRsocket ? 0 : 1] = b.position();
                        echoes[c == toRsocket ? 0 : 1] = b;
                    }
                }
            }
            selector.selectedKeys().clear();
        }
        assertArrayEquals(new int[] {message.length, message.length}, echoed);
        for (final ByteBuffer echo : echoes)
        {
            assertArrayEquals(message, java.util.Arrays.copyOf(echo.array(), echo.position()), "the bytes echoed");
        }
        assertTrue(StreamRsocket.openSockets() >= before + 3, "listener, client and accepted socket are rsockets");
    }

    private SocketChannel connectNonBlocking(final Selector selector, final ServerSocketChannel server)
        throws IOException
    {
        final SocketChannel c = track(provider.openSocketChannel());
        c.configureBlocking(false);
        if (c.connect(server.getLocalAddress()))
        {
            c.register(selector, SelectionKey.OP_WRITE);
        }
        else
        {
            c.register(selector, SelectionKey.OP_CONNECT);
        }
        return c;
    }

    @Test
    void shouldBlockWhileIdleAndReturnOnWakeup() throws Exception
    {
        final ServerSocketChannel server = listen(new InetSocketAddress(RSOCKET_HOST, 0));
        final SocketChannel client = track(provider.openSocketChannel());
        client.connect(server.getLocalAddress());
        final SocketChannel accepted = track(server.accept());
        accepted.configureBlocking(false);
        final Selector selector = track(provider.openSelector());
        accepted.register(selector, SelectionKey.OP_READ);

        final long start = System.nanoTime();
        assertEquals(0, selector.select(300), "nothing to read");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(250), "the select waited");

        final CountDownLatch selecting = new CountDownLatch(1);
        final AtomicReference<Integer> result = new AtomicReference<>();
        final Thread t = Thread.ofPlatform().start(() ->
        {
            try
            {
                selecting.countDown();
                result.set(selector.select());
            }
            catch (final IOException e)
            {
                throw new RuntimeException(e);
            }
        });
        selecting.await();
        Thread.sleep(100);
        assertTrue(t.isAlive(), "blocked with nothing ready");
        selector.wakeup();
        t.join(5000);
        assertEquals(0, result.get());

        // Data on the rsocket wakes a blocked select.
        final Thread reader = Thread.ofPlatform().start(() ->
        {
            try
            {
                result.set(selector.select());
            }
            catch (final IOException e)
            {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(100);
        client.write(ByteBuffer.wrap(new byte[] {42}));
        reader.join(5000);
        assertFalse(reader.isAlive());
        assertEquals(1, result.get());
        assertTrue(selector.selectedKeys().iterator().next().isReadable());
    }

    @Test
    void shouldMultiplexAPipeWithRsockets() throws Exception
    {
        final Pipe pipe = provider.openPipe();
        track(pipe.source());
        track(pipe.sink());
        final Selector selector = track(provider.openSelector());
        pipe.source().configureBlocking(false);
        final SelectionKey key = pipe.source().register(selector, SelectionKey.OP_READ);
        assertEquals(0, selector.selectNow());
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        assertEquals(1, selector.select(2000));
        assertTrue(selector.selectedKeys().contains(key));
        assertEquals(SelectionKey.OP_READ, key.readyOps());
    }

    @Test
    void shouldStreamBytesBothWaysWithBlockingRsocketChannels() throws Exception
    {
        final ServerSocketChannel server = listen(new InetSocketAddress(RSOCKET_HOST, 0));
        final SocketChannel client = track(provider.openSocketChannel());
        assertTrue(client.connect(server.getLocalAddress()));
        final SocketChannel accepted = track(server.accept());
        assertEquals(client.getLocalAddress(), accepted.getRemoteAddress());

        // Both directions at once: each channel is read by one thread while another writes it.
        final int size = 3 << 20;
        final java.util.concurrent.Executor platform = r -> Thread.ofPlatform().daemon().start(r);
        final java.util.concurrent.CompletableFuture<Void> up =
            java.util.concurrent.CompletableFuture.runAsync(() -> writePattern(client, size, 31), platform);
        final java.util.concurrent.CompletableFuture<Void> down =
            java.util.concurrent.CompletableFuture.runAsync(() -> writePattern(accepted, size, 17), platform);
        final java.util.concurrent.CompletableFuture<Integer> atServer =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> readPattern(accepted, 31), platform);
        final java.util.concurrent.CompletableFuture<Integer> atClient =
            java.util.concurrent.CompletableFuture.supplyAsync(() -> readPattern(client, 17), platform);
        up.get(30, TimeUnit.SECONDS);
        down.get(30, TimeUnit.SECONDS);
        assertEquals(size, atServer.get(30, TimeUnit.SECONDS), "client to server");
        assertEquals(size, atClient.get(30, TimeUnit.SECONDS), "server to client");
    }

    /** Writes {@code size} bytes of {@code (byte)(i * mul)}, then shuts the output down. */
    private static void writePattern(final SocketChannel channel, final int size, final int mul)
    {
        final ByteBuffer b = ByteBuffer.allocateDirect(size);
        for (int i = 0; i < size; i++)
        {
            b.put(i, (byte)(i * mul));
        }
        try
        {
            while (b.hasRemaining())
            {
                channel.write(b);
            }
            channel.shutdownOutput();
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** @return the bytes read until end of stream, each checked against {@link #writePattern}'s. */
    private static int readPattern(final SocketChannel channel, final int mul)
    {
        final ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        int total = 0;
        int n;
        try
        {
            while ((n = channel.read(in)) >= 0)
            {
                for (int i = 0; i < n; i++)
                {
                    if ((byte)((total + i) * mul) != in.get(i))
                    {
                        throw new AssertionError("byte " + (total + i) + " differs");
                    }
                }
                total += n;
                in.clear();
            }
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException(e);
        }
        return total;
    }

    @Test
    void shouldCloseABlockedReadOnInterrupt() throws Exception
    {
        final ServerSocketChannel server = listen(new InetSocketAddress(RSOCKET_HOST, 0));
        final SocketChannel client = track(provider.openSocketChannel());
        client.connect(server.getLocalAddress());
        final SocketChannel accepted = track(server.accept());
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reader = Thread.ofPlatform().start(() ->
        {
            try
            {
                accepted.read(ByteBuffer.allocate(16));
            }
            catch (final Throwable e)
            {
                failure.set(e);
            }
        });
        Thread.sleep(200);
        reader.interrupt();
        reader.join(5000);
        assertFalse(reader.isAlive(), "the read returned");
        assertInstanceOf(ClosedByInterruptException.class, failure.get());
        assertFalse(accepted.isOpen());
    }

    /**
     * Netty's SocketHalfClosedTest.testAllDataReadClosure: the server writes and closes before the client has
     * finished its non-blocking connect. As on the JDK, OP_CONNECT then finishConnect return true (Netty throws
     * {@code Error} on false), the data is read and end of stream follows; nothing falls back to TCP.
     */
    @Test
    void shouldFinishAConnectThePeerAlreadyClosedAndReadWhatItWrote() throws Exception
    {
        final ServerSocketChannel server = listen(new InetSocketAddress(RSOCKET_HOST, 0));
        final SocketChannel client = track(provider.openSocketChannel());
        client.configureBlocking(false);
        client.connect(server.getLocalAddress());
        try (SocketChannel peer = server.accept())
        {
            peer.write(ByteBuffer.wrap(new byte[] {7, 8, 9}));
        }
        // Let the peer's DISCONNECT arrive before the client looks at its connect (the case that failed; the
        // assertions hold either way).
        Thread.sleep(200);
        final long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        final Selector selector = track(provider.openSelector());
        final SelectionKey key = client.register(selector, SelectionKey.OP_CONNECT);
        while (!key.isConnectable() && System.nanoTime() < until)
        {
            selector.select(1000);
        }
        assertTrue(key.isConnectable());
        assertTrue(client.finishConnect(), "finishConnect after OP_CONNECT: " + client);
        assertTrue(client.isConnected());
        assertFalse(client.toString().contains("kernel"), client.toString());
        key.interestOps(SelectionKey.OP_READ);
        final ByteBuffer in = ByteBuffer.allocate(8);
        int n = 0;
        while (n >= 0 && System.nanoTime() < until)
        {
            selector.selectedKeys().clear();
            selector.select(1000);
            n = client.read(in);
        }
        assertEquals(-1, n, "end of stream after the data");
        assertEquals(3, in.position());
        assertArrayEquals(new byte[] {7, 8, 9}, java.util.Arrays.copyOf(in.array(), 3));
    }

    /** UNIX domain channels are the JDK's inside ours: they register with our selectors, and close as the JDK's. */
    @Test
    void shouldCloseAUnixDomainChannelWhoseBlockedReadIsInterrupted() throws Exception
    {
        final java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("rdmasockets-unix");
        final java.nio.file.Path path = dir.resolve("socket");
        try
        {
            final ServerSocketChannel server =
                track(provider.openServerSocketChannel(java.net.StandardProtocolFamily.UNIX));
            server.bind(java.net.UnixDomainSocketAddress.of(path));
            final SocketChannel client = track(SocketChannel.open(java.net.UnixDomainSocketAddress.of(path)));
            assertSame(java.nio.channels.spi.SelectorProvider.provider().getClass(), client.provider().getClass(),
                "SocketChannel.open uses the system provider, not ours");
            final SocketChannel accepted = track(server.accept());
            assertSame(provider, accepted.provider());
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread reader = Thread.ofPlatform().start(() ->
            {
                try
                {
                    accepted.read(ByteBuffer.allocate(8));
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            Thread.sleep(100);
            reader.interrupt();
            reader.join(5000);
            assertInstanceOf(ClosedByInterruptException.class, failure.get());
            assertFalse(accepted.isOpen(), "the interrupt closed our channel, not only the JDK's inside it");
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(path);
            java.nio.file.Files.delete(dir);
        }
    }

    @Test
    void shouldRefuseAConnectToAClosedPortAndCloseTheChannel() throws Exception
    {
        final ServerSocketChannel server = listen(new InetSocketAddress(RSOCKET_HOST, 0));
        final InetSocketAddress address = (InetSocketAddress)server.getLocalAddress();
        server.close();
        final RdmaSelectorProvider noFallback = new RdmaSelectorProvider(new Router()
        {
            @Override
            public boolean useRsocket(final Operation operation, final InetSocketAddress a)
            {
                return true;
            }

            @Override
            public boolean fallbackToTcp(final InetSocketAddress destination)
            {
                return false;
            }
        });
        final SocketChannel client = track(noFallback.openSocketChannel());
        final IOException e = assertThrows(IOException.class, () -> client.connect(address));
        assertInstanceOf(java.net.ConnectException.class, e, e.toString());
        assertTrue(e.getMessage().startsWith("ECONNREFUSED"), e.getMessage());
        assertFalse(client.isOpen());
    }

    /** As Netty's testsuite: a server on the wildcard address, a client connecting to what it reports. */
    @Test
    void shouldConnectToTheWildcardAddressAServerReports() throws Exception
    {
        final RdmaSelectorProvider all = new RdmaSelectorProvider(new Router()
        {
            @Override
            public boolean useRsocket(final Operation operation, final InetSocketAddress address)
            {
                return true;
            }

            @Override
            public boolean fallbackToTcp(final InetSocketAddress destination)
            {
                return false;
            }
        });
        final ServerSocketChannel server = track(all.openServerSocketChannel()).bind(new InetSocketAddress(0));
        final InetSocketAddress reported = (InetSocketAddress)server.getLocalAddress();
        assertTrue(reported.getAddress().isAnyLocalAddress(), reported.toString());
        final SocketChannel client = track(all.openSocketChannel());
        assertTrue(client.connect(reported));
        assertTrue(client.toString().contains("rsocket"), client.toString());
        assertNotNull(track(server.accept()));
    }
}
