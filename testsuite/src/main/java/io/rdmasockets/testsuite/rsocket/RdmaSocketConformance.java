package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.ErrnoCarrier;
import io.rdmasockets.rsocket.RdmaConnectException;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.Tests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.rdmasockets.testsuite.rsocket.Loopback.crc;
import static io.rdmasockets.testsuite.rsocket.Loopback.random;
import static org.junit.jupiter.api.Assertions.*;

/** {@link RdmaSocket} end to end on the provider under test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RdmaSocketConformance extends AbstractVerbsTest
{
    private Loopback loop;

    @AfterEach
    public void closeAll()
    {
        if (null != loop)
        {
            loop.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 1000, 65_536, 1_000_003, 4 << 20})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void shouldRoundTripStreamsWithChecksums(final int size) throws Exception
    {
        loop = new Loopback(provider()).connect();
        final byte[] up = random(size, 1);
        final byte[] down = random(size, 2);
        final Future<byte[]> atServer = loop.async(() -> drain(loop.server.getInputStream()));
        final Future<byte[]> atClient = loop.async(() -> drain(loop.client.getInputStream()));
        final Future<Void> upload = loop.async(() -> writeInPieces(loop.client.getOutputStream(), up, 3));
        writeInPieces(loop.server.getOutputStream(), down, 4);
        upload.get(50, TimeUnit.SECONDS);
        // Half close one side after the other (drain() returns once it sees -1): the engine loses the
        // second SHUTDOWN when both sides half close at the same instant (reported to the engine owner).
        loop.client.shutdownOutput();
        final byte[] gotUp = atServer.get(50, TimeUnit.SECONDS);
        loop.server.shutdownOutput();
        final byte[] gotDown = atClient.get(50, TimeUnit.SECONDS);
        assertEquals(size, gotUp.length);
        assertEquals(size, gotDown.length);
        assertEquals(crc(up), crc(gotUp));
        assertEquals(crc(down), crc(gotDown));
    }

    @Test
    public void shouldReadSingleBytesAndReportAvailable() throws Exception
    {
        loop = new Loopback(provider()).connect();
        loop.client.getOutputStream().write(new byte[] {(byte)0xFF, 0, 42, 7, -2});
        final InputStream in = loop.server.getInputStream();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (in.available() < 5 && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        assertEquals(5, in.available());
        assertEquals(0xFF, in.read(), "read() is unsigned");
        assertEquals(0, in.read());
        final byte[] rest = new byte[10];
        assertEquals(3, in.read(rest, 2, 8), "a partial read returns what is there");
        assertArrayEquals(new byte[] {0, 0, 42, 7, -2, 0, 0, 0, 0, 0}, rest);
        assertEquals(0, in.read(rest, 0, 0));
        assertEquals(0, in.available());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    public void shouldMoveHeapAndDirectByteBuffers(final boolean direct) throws Exception
    {
        loop = new Loopback(provider()).connect();
        final byte[] data = random(1 << 20, 3);
        final ByteBuffer src = direct ? ByteBuffer.allocateDirect(data.length + 20) : ByteBuffer.allocate(data.length + 20);
        src.position(10);
        src.put(data).flip().position(10);
        final Future<Integer> writer = loop.async(() -> loop.client.write(src));

        final ByteBuffer dst = direct ? ByteBuffer.allocateDirect(65_536) : ByteBuffer.allocate(65_536);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (got.size() < data.length)
        {
            dst.clear().position(100).limit(100 + 30_000);
            final int n = loop.server.read(dst);
            assertTrue(n > 0 && n <= 30_000, "read " + n);
            assertEquals(100 + n, dst.position(), "position moves past the bytes read");
            assertEquals(100 + 30_000, dst.limit(), "limit unchanged");
            dst.flip().position(100);
            final byte[] chunk = new byte[n];
            dst.get(chunk);
            got.write(chunk);
        }
        assertEquals(data.length, writer.get(50, TimeUnit.SECONDS));
        assertEquals(src.limit(), src.position(), "write consumes the buffer");
        assertArrayEquals(data, got.toByteArray());

        loop.client.shutdownOutput();
        assertEquals(-1, loop.server.read(dst.clear()));
        assertEquals(0, dst.position());
        assertEquals(0, loop.server.read(ByteBuffer.allocate(0)), "no room reads nothing, even at EOF");
    }

    @Test
    public void shouldMoveMemorySegments() throws Exception
    {
        loop = new Loopback(provider()).connect();
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment src = arena.allocate(300_000);
            final byte[] data = random((int)src.byteSize(), 4);
            MemorySegment.copy(data, 0, src, ValueLayout.JAVA_BYTE, 0, data.length);
            final Future<Long> writer = loop.async(() -> loop.client.write(src));
            final MemorySegment dst = arena.allocate(data.length);
            long got = 0;
            while (got < data.length)
            {
                final int n = loop.server.read(dst.asSlice(got));
                assertTrue(n > 0, "read " + n);
                got += n;
            }
            assertEquals(data.length, writer.get(50, TimeUnit.SECONDS));
            assertArrayEquals(data, dst.toArray(ValueLayout.JAVA_BYTE));

            // Heap segments work too.
            final byte[] small = {1, 2, 3};
            assertEquals(3, loop.server.write(MemorySegment.ofArray(small)));
            final byte[] back = new byte[3];
            int n = 0;
            while (n < 3)
            {
                n += loop.client.read(MemorySegment.ofArray(back).asSlice(n));
            }
            assertArrayEquals(small, back);
            loop.server.shutdownOutput();
            assertEquals(-1, loop.client.read(dst));
        }
    }

    @Test
    public void shouldScatterAndGather() throws Exception
    {
        loop = new Loopback(provider()).connect();
        final byte[] a = random(10_000, 5);
        final byte[] b = random(70_000, 6);
        final byte[] c = random(123, 7);
        final ByteBuffer direct = ByteBuffer.allocateDirect(b.length).put(b).flip();
        // A slice has a non-zero array offset: the gather must honour it.
        final ByteBuffer sliced = ByteBuffer.allocate(c.length + 50).position(50).slice().put(c).flip();
        // More than half the peer's ring: the writer needs the reader, so it runs on its own thread.
        final Future<Long> writer = loop.async(() ->
        {
            final long n = loop.client.write(new ByteBuffer[] {ByteBuffer.wrap(a), direct, sliced});
            loop.client.shutdownOutput();
            return n;
        });

        final ByteBuffer d1 = ByteBuffer.allocate(5000);
        final ByteBuffer d2 = ByteBuffer.allocateDirect(60_000);
        final ByteBuffer d3 = ByteBuffer.allocate(100_000);
        final ByteBuffer[] dsts = {d1, d2, d3};
        long total = 0;
        long n;
        while ((n = loop.server.read(dsts)) >= 0)
        {
            assertTrue(n > 0, "a scatter read with room waits for data");
            total += n;
        }
        final long written = writer.get(10, TimeUnit.SECONDS);
        assertEquals(a.length + b.length + c.length, written);
        assertFalse(direct.hasRemaining());
        assertFalse(sliced.hasRemaining());
        assertEquals(written, total);
        assertEquals(-1, loop.server.read(dsts), "EOF again");
        final byte[] all = new byte[(int)total];
        d1.flip().get(all, 0, 5000);
        d2.flip().get(all, 5000, 60_000);
        d3.flip().get(all, 65_000, (int)total - 65_000);
        final ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(a);
        expected.write(b);
        expected.write(c);
        assertArrayEquals(expected.toByteArray(), all);
    }

    @Test
    public void shouldReportEndOfStreamOnEveryApiAndStillAnswerAfterHalfClose() throws Exception
    {
        loop = new Loopback(provider()).connect();
        loop.client.getOutputStream().write(new byte[] {9, 8, 7});
        loop.client.shutdownOutput();
        assertTrue(loop.client.isOutputShutdown());
        assertFalse(loop.client.isInputShutdown());

        final InputStream in = loop.server.getInputStream();
        final byte[] three = new byte[3];
        int got = 0;
        while (got < 3)
        {
            final int n = in.read(three, got, 3 - got);
            assertTrue(n > 0);
            got += n;
        }
        assertArrayEquals(new byte[] {9, 8, 7}, three);
        assertEquals(-1, in.read());
        assertEquals(-1, in.read(three));
        assertEquals(-1, loop.server.read(ByteBuffer.allocate(8)));
        assertEquals(-1, loop.server.read(ByteBuffer.allocateDirect(8)));
        assertEquals(-1, loop.server.read(new ByteBuffer[] {ByteBuffer.allocate(8)}));
        assertEquals(-1, loop.server.read(MemorySegment.ofArray(new byte[8])));

        // The other direction still works.
        loop.server.getOutputStream().write(new byte[] {1, 2});
        final InputStream back = loop.client.getInputStream();
        assertEquals(1, back.read());
        assertEquals(2, back.read());
        loop.server.shutdownOutput();
        assertEquals(-1, back.read());

        final SocketException e = assertThrows(SocketException.class, () -> loop.client.getOutputStream());
        assertEquals(Errno.EPIPE.code(), ((ErrnoCarrier)e).errno());
        final SocketException w = assertThrows(SocketException.class, () -> loop.client.write(ByteBuffer.allocate(1)));
        assertEquals("EPIPE", ((ErrnoCarrier)w).errnoName());
        assertTrue(w.getMessage().startsWith("EPIPE: "), w.getMessage());
    }

    @Test
    public void shouldReturnEndOfStreamAfterShutdownInputAndWakeABlockedReader() throws Exception
    {
        loop = new Loopback(provider()).connect();
        final Future<Integer> reader = loop.async(() -> loop.server.getInputStream().read());
        assertThrows(TimeoutException.class, () -> reader.get(200, TimeUnit.MILLISECONDS));
        loop.server.shutdownInput();
        assertEquals(-1, reader.get(10, TimeUnit.SECONDS));
        assertTrue(loop.server.isInputShutdown());
        assertEquals(-1, loop.server.read(ByteBuffer.allocate(4)));
        // Our write side is untouched.
        loop.server.getOutputStream().write(5);
        assertEquals(5, loop.client.getInputStream().read());
    }

    @Test
    public void shouldChurnWithSmallBuffers() throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.setOption(StandardSocketOptions.SO_RCVBUF, 2048);
        loop.listener.setOption(StandardSocketOptions.SO_SNDBUF, 2048);
        final RdmaSocket client = new RdmaSocket(provider())
            .setOption(StandardSocketOptions.SO_RCVBUF, 2048)
            .setOption(StandardSocketOptions.SO_SNDBUF, 2048);
        loop.connect(client);
        assertEquals(4096, loop.server.getOption(StandardSocketOptions.SO_RCVBUF), "inherited from the listener");
        final byte[] up = random(2 << 20, 8);
        final byte[] down = random(2 << 20, 9);
        final Future<byte[]> atServer = loop.async(() -> readExactly(loop.server.getInputStream(), up.length));
        final Future<byte[]> atClient = loop.async(() -> readExactly(loop.client.getInputStream(), down.length));
        final Future<Void> upload = loop.async(() -> writeInPieces(loop.client.getOutputStream(), up, 10));
        writeInPieces(loop.server.getOutputStream(), down, 11);
        upload.get(50, TimeUnit.SECONDS);
        assertArrayEquals(up, atServer.get(50, TimeUnit.SECONDS));
        assertArrayEquals(down, atClient.get(50, TimeUnit.SECONDS));
    }

    @Test
    public void shouldReadAndWriteConcurrentlyOnOneSocket() throws Exception
    {
        loop = new Loopback(provider()).connect();
        final byte[] data = random(4 << 20, 10);
        // The server echoes; the client writes on one thread and reads the echo on another.
        final Future<Void> echo = loop.async(() ->
        {
            final ByteBuffer buf = ByteBuffer.allocateDirect(32 * 1024);
            while (loop.server.read(buf.clear()) >= 0)
            {
                loop.server.write(buf.flip());
            }
            loop.server.shutdownOutput();
            return null;
        });
        final Future<byte[]> reader = loop.async(() -> drain(loop.client.getInputStream()));
        final Future<Void> writer = loop.async(() ->
        {
            writeInPieces(loop.client.getOutputStream(), data, 12);
            loop.client.shutdownOutput();
            return null;
        });
        writer.get(50, TimeUnit.SECONDS);
        echo.get(50, TimeUnit.SECONDS);
        final byte[] got = reader.get(50, TimeUnit.SECONDS);
        assertEquals(data.length, got.length);
        assertEquals(crc(data), crc(got));
    }

    @Test
    public void shouldTimeOutAReadWithSoTimeoutAndStayUsable() throws Exception
    {
        loop = new Loopback(provider()).connect();
        loop.client.setSoTimeout(200);
        assertEquals(200, loop.client.getSoTimeout());
        final long start = System.nanoTime();
        final SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
            () -> loop.client.getInputStream().read());
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 190 && ms < 5_000, "took " + ms + " ms");
        assertEquals(Errno.EAGAIN.code(), ((ErrnoCarrier)e).errno());
        assertTrue(e.getMessage().startsWith("EAGAIN: read timed out after 200 ms"), e.getMessage());
        assertFalse(loop.client.isClosed(), "a read timeout leaves the socket usable, as java.net.Socket");

        // Data arriving within the timeout is read; then the end of the stream.
        final Future<Void> late = loop.async(() ->
        {
            Thread.sleep(50);
            loop.server.getOutputStream().write(new byte[] {4, 5});
            loop.server.shutdownOutput();
            return null;
        });
        loop.client.setSoTimeout(5_000);
        final ByteBuffer buf = ByteBuffer.allocateDirect(8);
        while (buf.position() < 2)
        {
            assertTrue(loop.client.read(buf) > 0);
        }
        assertEquals(4, buf.get(0));
        assertEquals(5, buf.get(1));
        assertEquals(-1, loop.client.read(buf));
        late.get(5, TimeUnit.SECONDS);
    }

    @Test
    public void shouldWakeATimedReadWhenClosed() throws Exception
    {
        loop = new Loopback(provider()).connect();
        loop.client.setSoTimeout(30_000);
        final Future<Integer> reader = loop.async(() -> loop.client.getInputStream().read());
        assertThrows(TimeoutException.class, () -> reader.get(200, TimeUnit.MILLISECONDS));
        loop.client.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(5, TimeUnit.SECONDS));
        assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e.getCause()).errno(), e.getCause().getMessage());
    }

    @Test
    public void shouldWakeABlockedReadWhenClosed() throws Exception
    {
        loop = new Loopback(provider()).connect();
        final Future<Integer> reader = loop.async(() -> loop.client.read(ByteBuffer.allocateDirect(16)));
        assertThrows(TimeoutException.class, () -> reader.get(200, TimeUnit.MILLISECONDS));
        final long start = System.nanoTime();
        loop.client.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> reader.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
        assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e.getCause()).errno(), e.getCause().getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "woken promptly");
        assertTrue(loop.client.isClosed());
        // The peer sees the end of the stream.
        assertEquals(-1, loop.server.getInputStream().read());
    }

    @Test
    public void shouldWakeABlockedWriteWhenClosed() throws Exception
    {
        loop = new Loopback(provider());
        final RdmaSocket client = new RdmaSocket(provider()).setOption(StandardSocketOptions.SO_SNDBUF, 4096);
        loop.listener.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
        loop.connect(client);
        // Nobody reads at the server: the writer runs out of credits and blocks.
        final Future<Long> writer = loop.async(() -> loop.client.write(MemorySegment.ofArray(new byte[8 << 20])));
        assertThrows(TimeoutException.class, () -> writer.get(300, TimeUnit.MILLISECONDS));
        loop.client.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> writer.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
        assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e.getCause()).errno(), e.getCause().getMessage());
    }

    @Test
    public void shouldFailWritesOnceThePeerIsGone() throws Exception
    {
        loop = new Loopback(provider()).connect();
        loop.server.close();
        assertEquals(-1, loop.client.getInputStream().read(), "end of stream first");
        final OutputStream out = loop.client.getOutputStream();
        final SocketException e = assertThrows(SocketException.class, () ->
        {
            for (int i = 0; i < 1000; i++)
            {
                out.write(new byte[1024]);
            }
        });
        final int errno = ((ErrnoCarrier)e).errno();
        assertTrue(Errno.ECONNRESET.code() == errno || Errno.EPIPE.code() == errno, e.getMessage());
        assertFalse(loop.client.isClosed(), "a failed write does not close the socket");
    }

    @Test
    public void shouldRefuseAConnectionToAClosedPortWithEconnrefused() throws Exception
    {
        // A kernel socket closes synchronously; the tcp provider's listener closes asynchronously and may
        // still take (then reset) the connection for a moment, which reads as ETIMEDOUT.
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, testAddress()))
        {
            port = probe.getLocalPort();
        }
        final RdmaSocket socket = new RdmaSocket(provider());
        final ConnectException e = assertThrows(ConnectException.class,
            () -> socket.connect(new InetSocketAddress(testAddress(), port)));
        assertInstanceOf(RdmaConnectException.class, e);
        assertEquals(Errno.ECONNREFUSED.code(), ((ErrnoCarrier)e).errno());
        assertEquals("ECONNREFUSED", ((ErrnoCarrier)e).errnoName());
        assertEquals("ECONNREFUSED: connect to " + testAddress().getHostAddress() + ":" + port + ": Connection refused",
            e.getMessage());
        assertTrue(socket.isClosed(), "a failed connect closes the socket, as java.net.Socket");
        assertFalse(socket.isConnected());
    }

    @Test
    public void shouldTimeOutAConnectToAPeerThatNeverAnswers() throws Exception
    {
        // A connection manager listener that takes the request and never answers it (neither accept
        // nor reject): on every provider the connect waits for a reply that does not come.
        try (Listener silent = Listener.open(provider(), testAddress(), 0, 1);
            RdmaSocket socket = new RdmaSocket(provider()))
        {
            final long start = System.nanoTime();
            final SocketTimeoutException e = assertThrows(SocketTimeoutException.class,
                () -> socket.connect(silent.address, 300));
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(Errno.ETIMEDOUT.code(), ((ErrnoCarrier)e).errno(), e.getMessage());
            assertTrue(e.getMessage().startsWith("ETIMEDOUT: connect to " + testAddress().getHostAddress() + ":"),
                e.getMessage());
            // The request did reach the listener; dispose of its id so that the listener can close.
            silent.awaitRequest(Tests.DEFAULT_TIMEOUT).id().close();
            assertTrue(ms >= 250 && ms < 10_000, "took " + ms + " ms");
            assertTrue(socket.isClosed());
        }
    }

    @Test
    public void shouldThrowEbadfOnEveryOperationOnceClosed() throws Exception
    {
        loop = new Loopback(provider()).connect();
        final InputStream in = loop.client.getInputStream();
        final OutputStream out = loop.client.getOutputStream();
        loop.client.close();
        loop.client.close();
        assertTrue(loop.client.isClosed());
        assertTrue(loop.client.isConnected(), "stays true after close, as java.net.Socket");
        assertNotNull(loop.client.getRemoteSocketAddress());
        for (final Executable op : new Executable[] {
            in::read, () -> out.write(1), () -> loop.client.read(ByteBuffer.allocate(1)),
            () -> loop.client.write(ByteBuffer.allocate(1)), () -> loop.client.read(MemorySegment.ofArray(new byte[1])),
            loop.client::getInputStream, loop.client::getOutputStream, loop.client::shutdownOutput,
            () -> loop.client.getOption(StandardSocketOptions.SO_RCVBUF),
            () -> loop.client.setOption(StandardSocketOptions.TCP_NODELAY, true),
            () -> loop.client.connect(loop.address())})
        {
            final SocketException e = assertThrows(SocketException.class, op::run);
            assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e).errno(), e.getMessage());
            assertTrue(e.getMessage().startsWith("EBADF: socket is closed"), e.getMessage());
        }
    }

    @Test
    public void shouldRejectIoBeforeConnectAndASecondConnect() throws Exception
    {
        loop = new Loopback(provider()).connect();
        try (RdmaSocket fresh = new RdmaSocket(provider()))
        {
            assertFalse(fresh.isConnected());
            assertNull(fresh.getRemoteSocketAddress());
            final SocketException e = assertThrows(SocketException.class, () -> fresh.read(ByteBuffer.allocate(1)));
            assertEquals(Errno.ENOTCONN.code(), ((ErrnoCarrier)e).errno());
        }
        final SocketException again = assertThrows(SocketException.class, () -> loop.client.connect(loop.address()));
        assertEquals(Errno.EISCONN.code(), ((ErrnoCarrier)again).errno());
    }

    @Test
    public void shouldExposeBothEndsAddresses() throws Exception
    {
        loop = new Loopback(provider()).connect();
        final InetSocketAddress clientLocal = (InetSocketAddress)loop.client.getLocalSocketAddress();
        final InetSocketAddress clientRemote = (InetSocketAddress)loop.client.getRemoteSocketAddress();
        final InetSocketAddress serverLocal = (InetSocketAddress)loop.server.getLocalSocketAddress();
        final InetSocketAddress serverRemote = (InetSocketAddress)loop.server.getRemoteSocketAddress();
        assertEquals(loop.address().getPort(), clientRemote.getPort());
        assertEquals(loop.address().getPort(), serverLocal.getPort());
        assertEquals(clientLocal.getPort(), serverRemote.getPort());
        assertTrue(clientLocal.getPort() > 0);
        assertTrue(loop.client.isConnected() && loop.client.isBound());
        assertTrue(loop.server.isConnected() && loop.server.isBound());
    }

    /** A throwing runnable. */
    @FunctionalInterface
    private interface Executable
    {
        void run() throws Exception;
    }

    private static byte[] drain(final InputStream in) throws Exception
    {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final byte[] buf = new byte[50_000];
        final Random sizes = new Random(42);
        int n;
        while ((n = in.read(buf, 0, 1 + sizes.nextInt(buf.length))) >= 0)
        {
            got.write(buf, 0, n);
        }
        return got.toByteArray();
    }

    private static byte[] readExactly(final InputStream in, final int size) throws Exception
    {
        final byte[] b = in.readNBytes(size);
        assertEquals(size, b.length, "stream ended early");
        return b;
    }

    private static Void writeInPieces(final OutputStream out, final byte[] data, final long seed) throws Exception
    {
        final Random sizes = new Random(seed);
        int off = 0;
        while (off < data.length)
        {
            final int n = Math.min(data.length - off, 1 + sizes.nextInt(200_000));
            out.write(data, off, n);
            off += n;
        }
        return null;
    }
}
