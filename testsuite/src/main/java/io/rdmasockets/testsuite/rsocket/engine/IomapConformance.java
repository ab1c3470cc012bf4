package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Direct data placement on the engine (riomap, riounmap, riowrite; wire-protocol doc section 3): bytes land
 * exactly in the peer's mapping, a later send notifies, writes outside mappings fail with EFAULT and touch
 * nothing, unmapping tells the peer and is safe against writes in flight, a closed arena's mapping cannot be
 * written through, and iomap updates cost no credits (C's leak).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class IomapConformance extends AbstractVerbsTest
{
    private final Arena arena = Arena.ofShared();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private StreamRsocket listener;
    private StreamRsocket client;
    private StreamRsocket server;

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
        arena.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 64, 2048, 4096, 65_543, 1 << 20, 3 << 20})
    public void shouldPlaceBytesExactlyInThePeersMappingAndNotifyWithALaterSend(final int size) throws Exception
    {
        connect(4, -1);
        final MemorySegment target = arena.allocate(size + 2L * 4096, 64);
        final MemorySegment window = target.asSlice(4096, size);
        assertEquals(77, server.riomap(window, null, StreamRsocket.PROT_WRITE, 77));
        publish(server, client);
        final byte[] data = random(size, size);
        assertEquals(size, writeFully(client, MemorySegment.ofArray(data), 77));
        sendByte(client);
        awaitByte(server);
        assertArrayEquals(data, window.toArray(ValueLayout.JAVA_BYTE), "the bytes, after the notification");
        assertAllZero(target.asSlice(0, 4096), "before the mapping");
        assertAllZero(target.asSlice(4096 + size), "after the mapping");
        assertEquals(0, server.riounmap(window));
    }

    @Test
    public void shouldUseTheBuffersAddressAsOffsetWhenAskedForMinusOne() throws Exception
    {
        connect(1, -1);
        final MemorySegment target = arena.allocate(4096, 64);
        final long offset = server.riomap(target, null, StreamRsocket.PROT_WRITE, -1);
        assertEquals(target.address(), offset);
        publish(server, client);
        assertEquals(10, writeFully(client, MemorySegment.ofArray(random(10, 1)), offset + 4086));
        sendByte(client);
        awaitByte(server);
        assertArrayEquals(random(10, 1), target.asSlice(4086).toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    public void shouldRefuseWritesOutsideThePeersMappingsWithEfaultAndTouchNothing() throws Exception
    {
        connect(2, -1);
        final MemorySegment target = arena.allocate(4096, 64);
        server.riomap(target, null, StreamRsocket.PROT_WRITE, 1000);
        publish(server, client);
        final MemorySegment src = MemorySegment.ofArray(random(8192, 2));
        assertEquals(-Errno.EFAULT.code(), client.riowrite(src, 0, 1, 999, 0), "just before the mapping");
        assertEquals(-Errno.EFAULT.code(), client.riowrite(src, 0, 11, 1000 + 4096 - 10, 0), "running past its end");
        assertEquals(-Errno.EFAULT.code(), client.riowrite(src, 0, 1, 5096, 0), "just after it");
        assertEquals(-Errno.EFAULT.code(), client.riowrite(src, 0, 1, 1L << 40, 0), "never mapped");
        assertEquals(-Errno.EFAULT.code(), client.riowrite(src, 0, 1, -1, 0), "the largest u64 offset");
        // The connection is unharmed and the memory untouched; a write exactly to the end is fine.
        Pair.assertWorks(client, server);
        assertAllZero(target, "nothing written by refused writes");
        assertEquals(10, writeFully(client, src.asSlice(0, 10), 1000 + 4096 - 10));
        sendByte(client);
        awaitByte(server);
        assertArrayEquals(src.asSlice(0, 10).toArray(ValueLayout.JAVA_BYTE),
            target.asSlice(4086).toArray(ValueLayout.JAVA_BYTE));
        assertAllZero(target.asSlice(0, 4086), "the rest");
    }

    @Test
    public void shouldWriteAcrossAdjacentMappingsWhereCsBoundaryTestStalls() throws Exception
    {
        connect(4, -1);
        final MemorySegment first = arena.allocate(5000, 64);
        final MemorySegment second = arena.allocate(70_000, 64);
        server.riomap(first, null, StreamRsocket.PROT_WRITE, 0);
        server.riomap(second, null, StreamRsocket.PROT_WRITE, 5000);
        publish(server, client);
        final byte[] data = random(75_000, 3);
        assertEquals(data.length, writeFully(client, MemorySegment.ofArray(data), 0));
        sendByte(client);
        awaitByte(server);
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 5000), first.toArray(ValueLayout.JAVA_BYTE));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 5000, 75_000), second.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    public void shouldTellThePeerOnUnmapSoItsWritesFailCleanly() throws Exception
    {
        connect(1, -1);
        final MemorySegment target = arena.allocate(4096, 64);
        server.riomap(target, null, StreamRsocket.PROT_WRITE, 0);
        publish(server, client);
        assertEquals(0, server.riounmap(target));
        assertEquals(-Errno.EINVAL.code(), server.riounmap(target), "already unmapped");
        publish(server, client);
        assertEquals(-Errno.EFAULT.code(), client.riowrite(MemorySegment.ofArray(new byte[8]), 0, 8, 0, 0));
        Pair.assertWorks(client, server);
        assertAllZero(target, "nothing written after the unmap");
        // The slot is free again: a new mapping takes it and works.
        final MemorySegment again = arena.allocate(100, 64);
        server.riomap(again, null, StreamRsocket.PROT_WRITE, 0);
        publish(server, client);
        assertEquals(100, writeFully(client, MemorySegment.ofArray(random(100, 4)), 0));
        sendByte(client);
        awaitByte(server);
        assertArrayEquals(random(100, 4), again.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    public void shouldNeverWriteIntoABufferOnceRiounmapReturnedEvenWithWritesInFlight() throws Exception
    {
        connect(1, -1);
        final MemorySegment target = arena.allocate(1 << 20, 64);
        server.riomap(target, null, StreamRsocket.PROT_WRITE, 0);
        publish(server, client);
        final AtomicLong written = new AtomicLong();
        final CompletableFuture<Long> writer = CompletableFuture.supplyAsync(() ->
        {
            final MemorySegment src = MemorySegment.ofArray(new byte[1 << 20]);
            byte b = 1;
            long status = 0;
            // Until the unmapped buffer makes a write fail: the peer's key is gone, so one must.
            while (status >= 0)
            {
                src.fill(b++);
                status = client.riowrite(src, 0, src.byteSize(), 0, 0);
                if (status > 0)
                {
                    written.incrementAndGet();
                }
            }
            return status;
        }, threads);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (written.get() < 2 && !writer.isDone() && System.nanoTime() < deadline)
        {
            Thread.sleep(10);
        }
        assertTrue(written.get() >= 2, "riowrites were under way before the unmap: " + written.get());
        assertEquals(0, server.riounmap(target));
        // Deregistration fences copies under way (ibv_dereg_mr does for DMA): compare from this moment.
        final byte[] atUnmap = target.toArray(ValueLayout.JAVA_BYTE);
        final MemorySegment one = MemorySegment.ofArray(new byte[1]);
        server.send(one, 0, 1, 0);
        final long status = writer.get(30, TimeUnit.SECONDS);
        assertArrayEquals(atUnmap, target.toArray(ValueLayout.JAVA_BYTE), "no byte written after riounmap");
        // The writer either saw the unmap (EFAULT) or a write in flight met the deregistered key and the
        // connection failed; both are errors on the writer, never a write into the buffer.
        assertTrue(status == -Errno.EFAULT.code() || isConnectionError(status), "writer ended with " + status);
    }

    @Test
    public void shouldNotCostACreditPerIomapUpdateAsCDoes() throws Exception
    {
        // 16 credits: with C's leak (one per update, never given back) the sends stall by cycle 16.
        connect(1, 16);
        final MemorySegment target = arena.allocate(64, 64);
        final MemorySegment b = MemorySegment.ofArray(new byte[] {9});
        for (int cycle = 0; cycle < 100; cycle++)
        {
            server.riomap(target, null, StreamRsocket.PROT_WRITE, cycle);
            assertEquals(1, sendWithoutWaitingForCredits(server, b), "cycle " + cycle);
            awaitByte(client);
            assertEquals(0, server.riounmap(target), "cycle " + cycle);
        }
        // The receiver grants credits every rq/2 messages it consumes: 8 always remain.
        for (int i = 0; i < 8; i++)
        {
            assertEquals(1, sendWithoutWaitingForCredits(server, b), "message " + i);
        }
    }

    /** A nonblocking send that retries only while send completions are outstanding, never for credits. */
    private static int sendWithoutWaitingForCredits(final StreamRsocket rs, final MemorySegment b)
        throws InterruptedException
    {
        int n = 0;
        for (int tries = 0; tries < 200 && (n = rs.send(b, 0, 1, StreamRsocket.MSG_DONTWAIT)) == -Errno.EAGAIN.code();
            tries++)
        {
            Thread.sleep(5);
        }
        return n;
    }

    @Test
    public void shouldDropAMappingWhoseArenaWasClosedSoItCannotBeWrittenThrough() throws Exception
    {
        connect(1, -1);
        final MemorySegment target;
        try (Arena scoped = Arena.ofShared())
        {
            target = scoped.allocate(4096, 64);
            server.riomap(target, null, StreamRsocket.PROT_WRITE, 0);
            publish(server, client);
        }
        // The server's next send drops the mapping and zeroes the peer's entry ahead of its data.
        publish(server, client);
        assertEquals(-Errno.EFAULT.code(), client.riowrite(MemorySegment.ofArray(new byte[8]), 0, 8, 0, 0));
        Pair.assertWorks(client, server);
    }

    @Test
    public void shouldRefuseWhatCannotBeMapped() throws Exception
    {
        final StreamRsocket unconnected = StreamRsocket.open(provider(), Pair.CONFIG);
        try
        {
            assertErrno(Errno.EINVAL, () -> unconnected.riomap(arena.allocate(64), null, StreamRsocket.PROT_WRITE, 0));
        }
        finally
        {
            unconnected.close();
        }
        connect(0, -1);
        final MemorySegment buf = arena.allocate(4096, 64);
        assertErrno(Errno.ENOMEM, () -> server.riomap(buf, null, StreamRsocket.PROT_WRITE, 0));
        assertErrno(Errno.EINVAL, () -> server.riomap(buf, null, 1, 0));
        assertErrno(Errno.EINVAL, () -> server.riomap(MemorySegment.ofArray(new byte[64]), null,
            StreamRsocket.PROT_NONE, 0));
        assertErrno(Errno.EINVAL, () -> server.riomap(buf.asReadOnly(), null, StreamRsocket.PROT_NONE, 0));
        assertEquals(buf.address(), server.riomap(buf, null, StreamRsocket.PROT_NONE, -1), "local-only mapping");
        assertEquals(0, server.riounmap(buf));
        assertEquals(-Errno.EFAULT.code(), client.riowrite(buf, 0, 1, 0, 0), "nothing mapped at the peer");
        server.close();
        assertEquals(-Errno.EBADF.code(), server.riounmap(buf));
        assertErrno(Errno.EBADF, () -> server.riomap(buf, null, StreamRsocket.PROT_WRITE, 0));
    }

    @Test
    public void shouldRunOutOfSlotsWithEnomemAndFreeThemOnUnmap() throws Exception
    {
        connect(2, -1);
        final MemorySegment a = arena.allocate(64, 64);
        final MemorySegment b = arena.allocate(64, 64);
        final MemorySegment c = arena.allocate(64, 64);
        server.riomap(a, null, StreamRsocket.PROT_WRITE, 0);
        server.riomap(b, null, StreamRsocket.PROT_WRITE, 64);
        assertErrno(Errno.ENOMEM, () -> server.riomap(c, null, StreamRsocket.PROT_WRITE, 128));
        assertEquals(0, server.riounmap(a));
        assertEquals(128, server.riomap(c, null, StreamRsocket.PROT_WRITE, 128));
    }

    // ---------------------------------------------------------------------------------------- helpers

    /** Both sides take {@code iomap} mappings from the peer; {@code rq} sets the receive queues (credits). */
    private void connect(final int iomap, final int rq) throws Exception
    {
        listener = StreamRsocket.open(provider(), Pair.CONFIG);
        listener.sizes(-1, -1, -1, rq, -1, iomap);
        listener.bind(new InetSocketAddress(AbstractVerbsTest.testAddress(), 0));
        listener.listen(8);
        client = StreamRsocket.open(provider(), Pair.CONFIG);
        client.sizes(-1, -1, -1, rq, -1, iomap);
        client.connect(Pair.addressOf(listener));
        server = listener.accept();
    }

    /** {@code from}'s updates go out ahead of a byte; {@code to} reads it, taking the updates too. */
    private static void publish(final StreamRsocket from, final StreamRsocket to)
    {
        sendByte(from);
        awaitByte(to);
    }

    private static void sendByte(final StreamRsocket from)
    {
        assertEquals(1, from.send(MemorySegment.ofArray(new byte[] {9}), 0, 1, 0));
    }

    private static void awaitByte(final StreamRsocket to)
    {
        final MemorySegment one = MemorySegment.ofArray(new byte[1]);
        assertEquals(1, to.recv(one, 0, 1, 0));
        assertEquals(9, one.get(ValueLayout.JAVA_BYTE, 0));
    }

    private static long writeFully(final StreamRsocket rs, final MemorySegment src, final long offset)
    {
        long done = 0;
        while (done < src.byteSize())
        {
            final long n = rs.riowrite(src, done, src.byteSize() - done, offset + done, 0);
            if (n < 0)
            {
                fail("riowrite: " + Errno.nameOf((int)-n));
            }
            done += n;
        }
        return done;
    }

    private static boolean isConnectionError(final long status)
    {
        final int e = (int)-status;
        return Errno.EIO.code() == e || Errno.ECONNRESET.code() == e || Errno.EPIPE.code() == e;
    }

    private static void assertAllZero(final MemorySegment s, final String what)
    {
        for (long i = 0; i < s.byteSize(); i++)
        {
            if (0 != s.get(ValueLayout.JAVA_BYTE, i))
            {
                fail(what + ": byte " + i + " is " + s.get(ValueLayout.JAVA_BYTE, i));
            }
        }
    }

    private static byte[] random(final int size, final long seed)
    {
        final byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    @FunctionalInterface
    private interface Call
    {
        void run() throws ErrnoException;
    }

    private static void assertErrno(final Errno expected, final Call call)
    {
        final ErrnoException e = assertThrows(ErrnoException.class, call::run);
        assertEquals(expected.code(), e.errno(), e.getMessage());
    }
}
