package io.rdmasockets.nio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@code SocketChannel.socket()} of rsocket channels. */
@Timeout(60)
class SocketAdaptorTest
{
    private final RdmaSelectorProvider provider = new RdmaSelectorProvider(Router.allRsockets());
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

    @Test
    void shouldConnectReadWriteAndTimeOutThroughTheAdaptor() throws Exception
    {
        final ServerSocketChannel server = track(provider.openServerSocketChannel())
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        final SocketChannel channel = track(provider.openSocketChannel());
        final Socket socket = channel.socket();
        assertSame(channel, socket.getChannel());
        assertFalse(socket.isConnected());
        socket.connect(server.getLocalAddress(), 5000);
        assertTrue(socket.isConnected());
        assertTrue(channel.toString().contains("rsocket"), channel.toString());
        final SocketChannel accepted = track(server.accept());
        assertEquals(((InetSocketAddress)server.getLocalAddress()).getPort(), socket.getPort());
        assertEquals(accepted.getRemoteAddress(), socket.getLocalSocketAddress());

        socket.setTcpNoDelay(true);
        assertTrue(socket.getTcpNoDelay());
        assertTrue(socket.getReceiveBufferSize() > 0);
        socket.setSoTimeout(200);
        final InputStream in = socket.getInputStream();
        final long start = System.nanoTime();
        assertThrows(SocketTimeoutException.class, in::read);
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150));
        assertTrue(socket.isConnected() && !socket.isClosed(), "a timeout leaves the socket usable");

        final OutputStream out = accepted.socket().getOutputStream();
        out.write("ping".getBytes());
        final byte[] got = in.readNBytes(4);
        assertEquals("ping", new String(got));
        socket.getOutputStream().write(7);
        final ByteBuffer one = ByteBuffer.allocate(1);
        assertEquals(1, accepted.read(one));
        assertEquals(7, one.get(0));

        accepted.shutdownOutput();
        assertEquals(-1, in.read(), "end of stream after the peer's shutdown");
        socket.close();
        assertTrue(socket.isClosed());
        assertFalse(channel.isOpen());
    }

    @Test
    void shouldAcceptThroughTheServerSocketAdaptorWithATimeout() throws Exception
    {
        final ServerSocketChannel server = track(provider.openServerSocketChannel());
        final java.net.ServerSocket ss = server.socket();
        assertSame(server, ss.getChannel());
        assertFalse(ss.isBound());
        ss.setReuseAddress(true);
        ss.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        assertTrue(ss.isBound());
        assertTrue(server.toString().contains("rsocket"), server.toString());
        assertTrue(ss.getReuseAddress());
        assertTrue(ss.getReceiveBufferSize() > 0);
        ss.setSoTimeout(200);
        assertThrows(SocketTimeoutException.class, ss::accept);
        assertTrue(server.isOpen(), "a timeout leaves the server open");

        final SocketChannel client = track(provider.openSocketChannel());
        client.connect(ss.getLocalSocketAddress());
        final Socket accepted = track(ss.accept());
        assertTrue(accepted.isConnected());
        assertEquals(client.getLocalAddress(), accepted.getRemoteSocketAddress());
        ss.close();
        assertTrue(ss.isClosed());
        assertFalse(server.isOpen());
    }
}
