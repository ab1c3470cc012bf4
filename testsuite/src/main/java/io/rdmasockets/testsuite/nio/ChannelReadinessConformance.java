package io.rdmasockets.testsuite.nio;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * OP_ACCEPT, OP_CONNECT, OP_READ and OP_WRITE on real channels of the provider: TCP pairs, pipes and a
 * datagram channel, the {@code socket()} adaptors, and the {@link ProtocolFamily} overloads (INET6 and
 * UNIX are skipped where the provider or the machine does not support them).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ChannelReadinessConformance extends AbstractSelectorTest
{
    @Test
    public void shouldSelectAcceptThenConnectThenReadAndWrite() throws Exception
    {
        final Selector selector = openSelector();
        final ServerSocketChannel listener = listen();
        assertEquals(SelectionKey.OP_ACCEPT, listener.validOps());
        final SelectionKey acceptKey = register(listener, selector, SelectionKey.OP_ACCEPT);
        assertEquals(0, selector.selectNow(), "nobody connecting");
        assertNull(listener.accept(), "non-blocking accept without a connection");

        final SocketChannel client = track(provider().openSocketChannel());
        client.configureBlocking(false);
        final boolean connected = client.connect(connectAddress(listener));
        final SelectionKey connectKey = client.register(selector, connected ? 0 : SelectionKey.OP_CONNECT);
        awaitReady(selector, acceptKey, SelectionKey.OP_ACCEPT);
        final SocketChannel server = track(listener.accept());
        assertNotNull(server);
        if (!connected)
        {
            assertTrue(client.isConnectionPending());
            awaitReady(selector, connectKey, SelectionKey.OP_CONNECT);
            assertTrue(client.finishConnect());
        }
        assertTrue(client.isConnected());
        assertEquals(client.getLocalAddress(), server.getRemoteAddress());

        selector.selectedKeys().clear();
        connectKey.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        final SelectionKey serverKey = register(server, selector, SelectionKey.OP_READ);
        assertEquals(1, selector.selectNow(), "only the client is writable");
        assertEquals(SelectionKey.OP_WRITE, connectKey.readyOps());

        assertEquals(5, client.write(bytes("hello")));
        awaitReady(selector, serverKey, SelectionKey.OP_READ);
        final ByteBuffer in = ByteBuffer.allocate(16);
        while (in.position() < 5)
        {
            assertTrue(server.read(in) >= 0);
        }
        assertEquals("hello", new String(in.array(), 0, 5, java.nio.charset.StandardCharsets.US_ASCII));

        client.shutdownOutput();
        selector.selectedKeys().clear();
        awaitReady(selector, serverKey, SelectionKey.OP_READ);
        assertEquals(-1, server.read(in.clear()), "end-of-stream is readable");
    }

    @Test
    public void shouldNeitherSelectNorSpinOnAnIdleKeyWhoseConnectionIsReset() throws Exception
    {
        // CloseWhenKeyIdle: a hang-up or error on a key with no interest must not select it or wake select.
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey key = pair.client().register(selector, 0);
        assertEquals(0, selector.selectNow());
        pair.server().setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        pair.server().close(); // a reset
        for (int i = 0; i < 3; i++)
        {
            final long start = System.nanoTime();
            assertEquals(0, selector.select(BLOCKED_MS), "an idle key is never selected");
            assertWaited(start, BLOCKED_MS);
        }
        key.interestOps(SelectionKey.OP_READ);
        awaitReady(selector, key, SelectionKey.OP_READ);
        final ByteBuffer in = ByteBuffer.allocate(8);
        try
        {
            assertEquals(-1, pair.client().read(in), "a reset reads as end-of-stream or fails");
        }
        catch (final IOException reset)
        {
            assertTrue(pair.client().isOpen(), "a failed read does not close the channel: " + reset);
        }
    }

    @Test
    public void shouldSelectARefusedConnect() throws Exception
    {
        final ServerSocketChannel gone = listen();
        final InetSocketAddress address = connectAddress(gone);
        gone.close();
        final Selector selector = openSelector();
        final SocketChannel client = track(provider().openSocketChannel());
        client.configureBlocking(false);
        try
        {
            if (client.connect(address))
            {
                fail("connected to a closed port");
            }
        }
        catch (final ConnectException refusedAtOnce)
        {
            // Allowed: the refusal may be known before connect returns; then, as the JDK's, it closed the channel.
            assertFalse(client.isOpen(), "a connect that throws closes its channel");
            return;
        }
        final SelectionKey key = client.register(selector, SelectionKey.OP_CONNECT);
        awaitReady(selector, key, SelectionKey.OP_CONNECT);
        assertThrows(ConnectException.class, client::finishConnect);
        assertFalse(client.isConnected());
    }

    @Test
    public void shouldStopBeingWritableWhenThePeerDoesNotRead() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey key = pair.client().register(selector, SelectionKey.OP_WRITE);
        final ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
        long written = 0;
        while (true)
        {
            final int n = pair.client().write(chunk.clear());
            if (0 == n)
            {
                break;
            }
            written += n;
            assertTrue(written < 1L << 30, "the send path never filled up");
        }
        // Some stacks reopen a little space at once; keep writing until not writable.
        int tries = 0;
        while (selector.selectNow() > 0 && tries++ < 1_000)
        {
            selector.selectedKeys().clear();
            written += pair.client().write(chunk.clear());
        }
        assertEquals(0, selector.selectNow(), "not writable while full");

        final ByteBuffer drain = ByteBuffer.allocateDirect(256 * 1024);
        long read = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPT_S);
        while (read < written / 2 && System.nanoTime() < deadline)
        {
            read += pair.server().read(drain.clear());
        }
        awaitReady(selector, key, SelectionKey.OP_WRITE);
    }

    @Test
    public void shouldSelectPipeEnds() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        assertEquals(SelectionKey.OP_WRITE, pipe.sink().validOps());
        assertEquals(SelectionKey.OP_READ, pipe.source().validOps());
        final SelectionKey sink = register(pipe.sink(), selector, SelectionKey.OP_WRITE);
        final SelectionKey source = register(pipe.source(), selector, SelectionKey.OP_READ);
        assertEquals(1, selector.selectNow());
        assertTrue(sink.isWritable());
        assertFalse(selector.selectedKeys().contains(source));

        assertEquals(3, pipe.sink().write(bytes("abc")));
        awaitReady(selector, source, SelectionKey.OP_READ);
        final ByteBuffer in = ByteBuffer.allocate(8);
        while (in.position() < 3)
        {
            assertTrue(pipe.source().read(in) >= 0);
        }
        pipe.sink().close();
        selector.selectedKeys().clear();
        awaitReady(selector, source, SelectionKey.OP_READ);
        assertEquals(-1, pipe.source().read(in.clear()));
    }

    @Test
    public void shouldSelectADatagramChannel() throws Exception
    {
        final Selector selector = openSelector();
        final DatagramChannel channel = track(provider().openDatagramChannel());
        channel.bind(listenAddress());
        final SocketAddress self = channel.getLocalAddress();
        final SelectionKey key = register(channel, selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        assertEquals(1, selector.selectNow());
        assertEquals(SelectionKey.OP_WRITE, key.readyOps(), "writable, nothing to read");
        assertEquals(4, channel.send(bytes("dgrm"), self));
        selector.selectedKeys().clear();
        awaitReady(selector, key, SelectionKey.OP_READ);
        final ByteBuffer in = ByteBuffer.allocate(16);
        assertEquals(self, channel.receive(in));
        assertEquals(4, in.position());
        assertNull(channel.receive(in.clear()), "non-blocking receive with nothing queued");
        assertEquals(((InetSocketAddress)self).getPort(), channel.socket().getLocalPort());
    }

    @Test
    public void shouldProvideWorkingSocketAdaptors() throws Exception
    {
        final ServerSocketChannel listener = listen();
        assertEquals(connectAddress(listener).getPort(), listener.socket().getLocalPort());
        assertSame(listener, listener.socket().getChannel());
        final SocketChannel client = track(provider().openSocketChannel());
        client.socket().connect(connectAddress(listener), 10_000);
        assertTrue(client.isConnected());
        final SocketChannel server = track(listener.socket().accept().getChannel());
        assertNotNull(server, "the accepted adaptor has its channel");
        assertSame(client, client.socket().getChannel());
        assertEquals(client.socket().getLocalSocketAddress(), server.socket().getRemoteSocketAddress());

        client.socket().setTcpNoDelay(true);
        assertTrue(client.socket().getTcpNoDelay());
        final OutputStream out = client.socket().getOutputStream();
        final InputStream in = server.socket().getInputStream();
        out.write(new byte[] {1, 2, 3});
        out.flush();
        assertArrayEquals(new byte[] {1, 2, 3}, in.readNBytes(3));

        server.configureBlocking(false);
        assertThrows(IllegalBlockingModeException.class, () -> server.socket().getInputStream().read());
        client.socket().close();
        assertFalse(client.isOpen(), "closing the adaptor closes the channel");
    }

    @Test
    public void shouldOpenInetChannels() throws Exception
    {
        final InetAddress address = listenAddress().getAddress() instanceof Inet4Address v4 ? v4
            : InetAddress.getByName("127.0.0.1");
        exchange(StandardProtocolFamily.INET, new InetSocketAddress(address, 0));
    }

    @Test
    public void shouldOpenInet6Channels() throws Exception
    {
        final InetAddress loopback6 = InetAddress.getByName("::1");
        try (var probe = provider().openServerSocketChannel(StandardProtocolFamily.INET6))
        {
            probe.bind(new InetSocketAddress(loopback6, 0));
        }
        catch (final IOException | UnsupportedOperationException e)
        {
            Assumptions.abort("no IPv6 loopback here (or not supported by the provider): " + e);
        }
        exchange(StandardProtocolFamily.INET6, new InetSocketAddress(loopback6, 0));
    }

    @Test
    public void shouldOpenUnixDomainChannels() throws Exception
    {
        final Path dir = Files.createTempDirectory("selector-test");
        final Path path = dir.resolve("socket");
        try
        {
            exchange(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(path));
        }
        finally
        {
            Files.deleteIfExists(path);
            Files.delete(dir);
        }
    }

    /** A listener and a client of the family, a non-blocking connect and one byte each way, selected. */
    private void exchange(final ProtocolFamily family, final SocketAddress bindTo) throws Exception
    {
        final ServerSocketChannel listener;
        try
        {
            listener = track(provider().openServerSocketChannel(family));
        }
        catch (final UnsupportedOperationException e)
        {
            Assumptions.abort(family + " not supported by " + provider() + ": " + e.getMessage());
            return;
        }
        listener.bind(bindTo);
        final Selector selector = openSelector();
        final SelectionKey acceptKey = register(listener, selector, SelectionKey.OP_ACCEPT);
        final SocketChannel client = track(provider().openSocketChannel(family));
        client.configureBlocking(false);
        final boolean connected = client.connect(listener.getLocalAddress());
        final SelectionKey clientKey = client.register(selector, connected ? 0 : SelectionKey.OP_CONNECT);
        awaitReady(selector, acceptKey, SelectionKey.OP_ACCEPT);
        final SocketChannel server = track(listener.accept());
        if (!connected)
        {
            awaitReady(selector, clientKey, SelectionKey.OP_CONNECT);
            assertTrue(client.finishConnect());
        }
        selector.selectedKeys().clear();
        final SelectionKey serverKey = register(server, selector, SelectionKey.OP_READ);
        assertEquals(1, client.write(bytes("u")));
        awaitReady(selector, serverKey, SelectionKey.OP_READ);
        assertEquals(1, server.read(ByteBuffer.allocate(4)));
    }
}
