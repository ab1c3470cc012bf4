package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.*;

/** The engine ({@code StreamRsocket}) end to end: transfers, half close, peek, EAGAIN, refused ports, races with close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class StreamRsocketConformance extends AbstractVerbsTest
{
    private final RsocketConfig config = Pair.CONFIG;
    private StreamRsocket listener;
    private StreamRsocket client;
    private StreamRsocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    public void closeAll()
    {
        threads.shutdownNow();
        for (final StreamRsocket rs : new StreamRsocket[] {client, server, listener})
        {
            if (null != rs)
            {
                rs.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 2048, 65_536, 1_000_003, 16 << 20})
    public void shouldMoveBytesExactlyInBothDirections(final int size) throws Exception
    {
        connect(-1);
        final byte[] up = random(size, 1);
        final byte[] down = random(size, 2);
        // Own threads (virtual ones): the common pool has a single worker on two cores.
        final CompletableFuture<byte[]> atServer = CompletableFuture.supplyAsync(() -> readFully(server, size), threads);
        final CompletableFuture<byte[]> atClient = CompletableFuture.supplyAsync(() -> readFully(client, size), threads);
        final CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> writeFully(client, up), threads);
        writeFully(server, down);
        upload.get(50, TimeUnit.SECONDS);
        assertEquals(crc(up), crc(atServer.get(50, TimeUnit.SECONDS)));
        assertEquals(crc(down), crc(atClient.get(50, TimeUnit.SECONDS)));
    }

    @Test
    public void shouldChurnCreditsAndSglWithTinyBuffers() throws Exception
    {
        connect(4096);
        final byte[] up = random(3 << 20, 3);
        final CompletableFuture<byte[]> atServer =
            CompletableFuture.supplyAsync(() -> readFully(server, up.length), threads);
        writeFully(client, up);
        assertArrayEquals(up, atServer.get(50, TimeUnit.SECONDS));
    }

    @Test
    public void shouldDeliverEndOfStreamAfterRemainingDataOnHalfClose() throws Exception
    {
        connect(-1);
        final byte[] msg = random(1000, 4);
        writeFully(client, msg);
        assertEquals(0, client.shutdown(StreamRsocket.SHUT_WR));
        assertArrayEquals(msg, readFully(server, msg.length));
        final MemorySegment one = MemorySegment.ofArray(new byte[1]);
        assertEquals(0, server.recv(one, 0, 1, 0), "end of stream after the data");
        assertEquals(-Errno.EPIPE.code(), client.send(one, 0, 1, 0), "our own write side is shut");

        // Half close: the server can still answer.
        final byte[] reply = random(500, 5);
        writeFully(server, reply);
        assertArrayEquals(reply, readFully(client, reply.length));
    }

    /**
     * A reader much slower than its writer, on rings small enough that the writer keeps running out of
     * credits and ring space: every byte arrives in order, and nobody deadlocks waiting for an update.
     */
    @Test
    public void shouldNeitherLoseNorDeadlockWithASlowReader() throws Exception
    {
        connect(4096);
        final byte[] up = random(1 << 20, 6);
        final CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeFully(client, up), threads);
        final byte[] got = new byte[up.length];
        final MemorySegment dst = MemorySegment.ofArray(got);
        int off = 0;
        int reads = 0;
        while (off < got.length)
        {
            // Small reads with pauses: the ring fills, credits run out, updates trickle back.
            final int n = server.recv(dst, off, Math.min(777, got.length - off), 0);
            assertTrue(n > 0, "recv at " + off + ": " + (n < 0 ? Errno.nameOf(-n) : "EOF"));
            off += n;
            if (0 == ++reads % 64)
            {
                Thread.sleep(1);
            }
        }
        writer.get(50, TimeUnit.SECONDS);
        assertArrayEquals(up, got);
    }

    /** SHUT_RD (rshutdown, wire-protocol doc section 4.2): reads end at once, writes go on, nothing is sent. */
    @Test
    public void shouldEndReadsButKeepWritingAfterShutRd() throws Exception
    {
        connect(-1);
        final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
        assertEquals(0, client.shutdown(StreamRsocket.SHUT_RD));
        assertEquals(0, client.recv(buf, 0, 16, 0), "end of stream for our own reads");
        final byte[] msg = random(3000, 7);
        writeFully(client, msg);
        assertArrayEquals(msg, readFully(server, msg.length), "the write side still works");
        assertEquals(-Errno.EAGAIN.code(), server.recv(buf, 0, 16, StreamRsocket.MSG_DONTWAIT),
            "the peer got no end of stream: we can still write");
        assertNotEquals(0, client.pollEvents() & StreamRsocket.POLLIN, "a shut read side polls readable (EOF)");
    }

    /**
     * SHUT_RDWR: the peer reads its data then end of stream; the completed DISCONNECT leaves us
     * disconnected, so writes fail with ECONNRESET as in C, and reads give 0.
     */
    @Test
    public void shouldEndBothDirectionsAfterShutRdwr() throws Exception
    {
        connect(-1);
        final byte[] msg = random(5000, 8);
        writeFully(client, msg);
        assertEquals(0, client.shutdown(StreamRsocket.SHUT_RDWR));
        assertArrayEquals(msg, readFully(server, msg.length), "data sent before the shutdown arrives");
        final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
        assertEquals(0, server.recv(buf, 0, 16, 0), "then the peer reads end of stream");
        assertEquals(-Errno.ECONNRESET.code(), client.send(buf, 0, 16, 0));
        assertEquals(0, client.recv(buf, 0, 16, 0));
        assertEquals(0, client.shutdown(StreamRsocket.SHUT_RDWR), "a second shutdown is harmless");
        assertEquals(-Errno.EINVAL.code(), server.shutdown(7), "an unknown mode is refused");
    }

    @RepeatedTest(30)
    public void shouldDeliverEndOfStreamBothWaysWhenBothSidesHalfCloseAtOnce() throws Exception
    {
        connect(-1);
        // Readers already blocked on both sides, so each side's reader handles the peer's SHUTDOWN while its
        // own shutdown is in progress: neither SHUTDOWN may be lost.
        final CompletableFuture<Integer> atClient = CompletableFuture.supplyAsync(
            () -> client.recv(MemorySegment.ofArray(new byte[8]), 0, 8, 0), threads);
        final CompletableFuture<Integer> atServer = CompletableFuture.supplyAsync(
            () -> server.recv(MemorySegment.ofArray(new byte[8]), 0, 8, 0), threads);
        final CompletableFuture<Integer> clientShut =
            CompletableFuture.supplyAsync(() -> client.shutdown(StreamRsocket.SHUT_WR), threads);
        assertEquals(0, server.shutdown(StreamRsocket.SHUT_WR));
        assertEquals(0, clientShut.get(5, TimeUnit.SECONDS));
        assertEquals(0, atClient.get(5, TimeUnit.SECONDS), "client end of stream");
        assertEquals(0, atServer.get(5, TimeUnit.SECONDS), "server end of stream");
    }

    /**
     * Close races callers of every entry point: a caller that passed the state check just before close
     * and then waited for a lock must get an errno, never touch the freed queues or memory (which the
     * FFM runtime reports as IllegalStateException).
     */
    @RepeatedTest(25)
    public void shouldGiveEveryCallerRacingCloseAnErrnoNeverAFreedBuffer(final org.junit.jupiter.api.RepetitionInfo rep)
        throws Exception
    {
        connect(4096);
        // Platform threads: callers that never block would starve virtual threads on two carriers.
        final ExecutorService platform = Executors.newCachedThreadPool(r ->
        {
            final Thread t = new Thread(r, "racer");
            t.setDaemon(true);
            return t;
        });
        final MemorySegment big = MemorySegment.ofArray(new byte[1 << 20]);
        final java.util.List<CompletableFuture<Void>> callers = new java.util.ArrayList<>();
        final java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        // The data calls and shutdown must fail once close returned; poll and available only must not crash.
        final java.util.List<java.util.function.IntSupplier> failAfterClose = java.util.List.of(
            () -> client.send(big, 0, (int)big.byteSize(), 0),
            () -> client.send(big, 0, 100, StreamRsocket.MSG_DONTWAIT),
            () -> client.recv(MemorySegment.ofArray(new byte[64]), 0, 64, 0),
            () -> client.recv(MemorySegment.ofArray(new byte[64]), 0, 64, StreamRsocket.MSG_DONTWAIT),
            () -> client.shutdown(StreamRsocket.SHUT_WR));
        final java.util.List<java.util.function.IntSupplier> ops = new java.util.ArrayList<>(failAfterClose);
        ops.add(client::pollEvents);
        ops.add(() -> (int)client.available());
        final java.util.Map<Integer, Integer> afterClose = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < ops.size(); i++)
        {
            final int index = i;
            final java.util.function.IntSupplier op = ops.get(i);
            callers.add(CompletableFuture.runAsync(() ->
            {
                while (!stop.get())
                {
                    final boolean started = closed.get();
                    final int r = op.getAsInt();
                    if (started)
                    {
                        afterClose.putIfAbsent(index, r);
                    }
                }
            }, platform));
        }
        // The server writes too, so readers have data to copy out of the ring while close frees it.
        callers.add(CompletableFuture.runAsync(() ->
        {
            final MemorySegment chunk = MemorySegment.ofArray(new byte[512]);
            while (!stop.get() && server.send(chunk, 0, 512, 0) > 0)
            {
                Thread.onSpinWait();
            }
        }, platform));
        Thread.sleep(rep.getCurrentRepetition() % 5);
        client.close();
        closed.set(true);
        // Let every caller start at least one call after close, unless it is stuck in one from before.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (afterClose.size() < ops.size() && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        stop.set(true);
        try
        {
            for (final CompletableFuture<Void> c : callers)
            {
                c.get(10, TimeUnit.SECONDS);
            }
        }
        finally
        {
            platform.shutdownNow();
        }
        assertEquals(ops.size(), afterClose.size(), "every caller called again after close: " + afterClose);
        for (int i = 0; i < failAfterClose.size(); i++)
        {
            final int r = afterClose.get(i);
            assertTrue(r < 0, "call " + i + " after close returned " + r + ", not a negative errno");
        }
    }

    @Test
    public void shouldReportEndOfStreamAndResetAfterThePeerCloses() throws Exception
    {
        connect(-1);
        server.close();
        server = null;
        final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
        assertEquals(0, client.recv(buf, 0, 16, 0));
        int rc = 0;
        for (int i = 0; i < 100 && rc >= 0; i++)
        {
            rc = client.send(buf, 0, 16, 0);
        }
        assertEquals(-Errno.ECONNRESET.code(), rc);
    }

    @Test
    public void shouldGiveEagainWithoutDataWhenNonBlocking() throws Exception
    {
        connect(-1);
        final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
        assertEquals(-Errno.EAGAIN.code(), client.recv(buf, 0, 16, StreamRsocket.MSG_DONTWAIT));
        server.nonblocking(true);
        assertEquals(-Errno.EAGAIN.code(), server.recv(buf, 0, 16, 0));
    }

    @Test
    public void shouldPeekWithoutConsuming() throws Exception
    {
        connect(-1);
        writeFully(client, new byte[] {1, 2, 3});
        final MemorySegment buf = MemorySegment.ofArray(new byte[3]);
        while (server.available() < 3)
        {
            Thread.onSpinWait();
            server.recv(buf, 0, 0, StreamRsocket.MSG_DONTWAIT);
        }
        assertEquals(3, server.recv(buf, 0, 3, StreamRsocket.MSG_PEEK));
        assertEquals(3, server.recv(buf, 0, 3, 0));
        assertArrayEquals(new byte[] {1, 2, 3}, buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    @Test
    public void shouldRefuseAClosedPort() throws Exception
    {
        // A kernel socket closes at once; the tcp provider's listener socket lingers until its reactor
        // deregisters it, taking (then resetting) a connect meanwhile, which reads as ETIMEDOUT.
        final InetSocketAddress address;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, testAddress()))
        {
            address = new InetSocketAddress(testAddress(), probe.getLocalPort());
        }
        client = StreamRsocket.open(provider(), config);
        final ErrnoException e = assertThrows(ErrnoException.class, () -> client.connect(address));
        assertEquals(Errno.ECONNREFUSED.code(), e.errno(), e.getMessage());
    }

    private void connect(final int bufferSize) throws Exception
    {
        listener = StreamRsocket.open(provider(), config);
        listener.sizes(bufferSize, bufferSize, -1, -1, -1, -1);
        listener.bind(new InetSocketAddress(testAddress(), 0));
        listener.listen(8);
        client = StreamRsocket.open(provider(), config);
        client.sizes(bufferSize, bufferSize, -1, -1, -1, -1);
        client.connect(new InetSocketAddress(testAddress(), listener.localAddress().getPort()));
        server = listener.accept();
    }

    private static byte[] random(final int size, final long seed)
    {
        final byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static long crc(final byte[] b)
    {
        final CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    private static void writeFully(final StreamRsocket rs, final byte[] b)
    {
        final MemorySegment src = MemorySegment.ofArray(b);
        int off = 0;
        while (off < b.length)
        {
            final int n = rs.send(src, off, Math.min(b.length - off, 100_000), 0);
            if (n < 0)
            {
                throw new IllegalStateException("send: " + Errno.nameOf(-n));
            }
            off += n;
        }
    }

    private static byte[] readFully(final StreamRsocket rs, final int size)
    {
        final byte[] b = new byte[size];
        final MemorySegment dst = MemorySegment.ofArray(b);
        int off = 0;
        while (off < size)
        {
            final int n = rs.recv(dst, off, size - off, 0);
            if (n <= 0)
            {
                throw new IllegalStateException("recv at " + off + ": " + (0 == n ? "EOF" : Errno.nameOf(-n)));
            }
            off += n;
        }
        return b;
    }
}
