package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.RsocketState;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.JavaProcess;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.ERROR;
import static org.junit.jupiter.api.Assertions.*;

/** Hostile peers, peers that vanish or are killed, closes under blocked callers, and churn. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
public abstract class RsocketRobustnessConformance extends AbstractVerbsTest
{
    // Copies of the engine's constants: an annotation in this exported package must not name a class
    // exported only to this module.
    private static final int OP_RSVD_DATA_MORE = ImmediateDescriptor.OP_RSVD_DATA_MORE;
    private static final int OP_RSVD_DRA_MORE = ImmediateDescriptor.OP_RSVD_DRA_MORE;
    private static final int OP_RSVD = ImmediateDescriptor.OP_RSVD;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stopThreads()
    {
        threads.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 0, 10})
    public void shouldRejectBadConnectionDataAndKeepListening(final int variant) throws Exception
    {
        try (StreamRsocket listener = Pair.listen(provider(), -1))
        {
            // Version 2; version 0; 10 bytes only.
            final byte[] bad = new byte[10 == variant ? 10 : 40];
            bad[0] = (byte)(10 == variant ? 1 : variant);
            try (RcEndpoint raw = RcEndpoint.resolve(provider(), Pair.addressOf(listener),
                PairSpec.defaults().connectData(bad)))
            {
                raw.id.connect(PairSpec.defaults().connectData(bad).connectParameters());
                final CmEvent ev = raw.events.poll(e -> e.id() == raw.id, Duration.ofSeconds(10));
                assertNotNull(ev, "no answer to a bad request");
                assertEquals(CmEventType.REJECTED, ev.type(), ev::toString);
            }
            listener.nonblocking(true);
            assertEquals(Errno.EAGAIN.code(), assertThrows(ErrnoException.class, listener::accept).errno(),
                "nothing is queued for a rejected request");
            listener.nonblocking(false);
            try (StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG))
            {
                client.connect(Pair.addressOf(listener));
                try (StreamRsocket server = listener.accept())
                {
                    Pair.assertWorks(client, server);
                    Pair.assertWorks(server, client);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {OP_RSVD_DATA_MORE, OP_RSVD_DRA_MORE, OP_RSVD, -1})
    public void shouldResetOnAReservedOpOrALyingLength(final int op) throws Exception
    {
        try (Pair bystander = Pair.connect(provider(), -1); StreamRsocket listener = Pair.listen(provider(), -1);
             RawPeer raw = RawPeer.connect(provider(), Pair.addressOf(listener), 64);
             StreamRsocket victim = listener.accept())
        {
            // -1: a data message claiming far more bytes than the ring holds.
            raw.sendImmediate(op < 0 ? ImmediateDescriptor.MAX_DATA : op << 29);
            final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
            final int rc = threads.submit(() -> victim.recv(buf, 0, 16, 0)).get(5, TimeUnit.SECONDS);
            assertTrue(-Errno.ECONNRESET.code() == rc || -Errno.EPROTO.code() == rc, "recv gave " + rc);
            assertEquals(ERROR, victim.state());
            assertEquals(Errno.EPROTO.code(), victim.takeError());
            assertEquals(-Errno.ECONNRESET.code(), victim.send(buf, 0, 16, 0));
            Pair.assertWorks(bystander.client, bystander.server);
            Pair.assertWorks(bystander.server, bystander.client);
        }
    }

    @Test
    public void shouldIgnoreKeepalivesOfEitherGeneration() throws Exception
    {
        try (StreamRsocket listener = Pair.listen(provider(), -1);
             RawPeer raw = RawPeer.connect(provider(), Pair.addressOf(listener), 64);
             StreamRsocket victim = listener.accept())
        {
            // C's 0-byte write without immediate, then an immediate CTRL KEEPALIVE (data 1), then data.
            raw.sendKeepalive();
            raw.sendImmediate(ImmediateDescriptor.encode(ImmediateDescriptor.OP_CTRL, ImmediateDescriptor.CTRL_KEEPALIVE));
            final io.rdmasockets.verbs.MemoryRegion src = raw.ep.register(64, io.rdmasockets.verbs.Access.LOCAL_WRITE);
            raw.sendByte(src, (byte)99);
            final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
            final int rc = threads.submit(() -> victim.recv(buf, 0, 16, 0)).get(5, TimeUnit.SECONDS);
            assertEquals(1, rc, "recv gave " + rc);
            assertEquals(99, buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
            assertEquals(RsocketState.CONNECT_RDWR, victim.state());
            assertEquals(0, victim.takeError());
            assertEquals(3, raw.ep.awaitSendCompletions(3).stream()
                .filter(wc -> io.rdmasockets.verbs.WcStatus.SUCCESS == wc.status()).count());
        }
    }

    @Test
    public void shouldResetWhenThePeerSendsMoreThanItsCredits() throws Exception
    {
        try (StreamRsocket listener = Pair.listen(provider(), -1);
             RawPeer raw = RawPeer.connect(provider(), Pair.addressOf(listener), 1024);
             StreamRsocket victim = listener.accept())
        {
            assertTrue(raw.peerCredits < 1000, "credits " + raw.peerCredits);
            for (int i = 0; i <= raw.peerCredits; i++)
            {
                raw.sendImmediate(ImmediateDescriptor.encode(ImmediateDescriptor.OP_DATA, 0));
            }
            // pollEvents makes progress (reposting receives) without consuming: the extra message lands.
            assertTrue(Pair.within(10_000, () -> 0 != (victim.pollEvents() & StreamRsocket.POLLERR)),
                "state " + RsocketState.toString(victim.state()));
            assertEquals(Errno.EPROTO.code(), victim.takeError());
            final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
            assertTrue(victim.recv(buf, 0, 16, StreamRsocket.MSG_DONTWAIT) <= 0);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {65_536, 1})
    public void shouldFailABlockedSenderWhenThePeerCloses(final int chunk) throws Exception
    {
        // Blocked on ring space (64 KiB chunks into 4 KiB), or on credits (1-byte messages).
        try (Pair pair = Pair.connect(provider(), 1 == chunk ? -1 : 4096))
        {
            final Future<Integer> sender = threads.submit(() -> sendUntilError(pair.client, chunk));
            Thread.sleep(300);
            assertFalse(sender.isDone(), "the sender must be blocked: the server reads nothing");
            pair.server.close();
            final int rc = sender.get(2, TimeUnit.SECONDS);
            assertEquals(-Errno.ECONNRESET.code(), rc, Errno.nameOf(-rc));
        }
    }

    /**
     * A peer JVM killed mid-transfer, reading or writing: the survivor's blocked call ends with end of
     * stream or ECONNRESET (EPIPE for a write) within 2 s of the kill, never hangs.
     */
    @ParameterizedTest
    @ValueSource(strings = {"send", "sink"})
    public void shouldEndTransfersPromptlyWhenThePeerProcessIsKilled(final String peerMode) throws Exception
    {
        try (JavaProcess peer = JavaProcess.start("PeerProcess",
                JavaProcess.javaCommand(PeerProcess.class, provider().name(), peerMode));
             StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG))
        {
            final String listening = peer.awaitLine("LISTENING", Duration.ofSeconds(30));
            client.connect(new InetSocketAddress(testAddress(),
                Integer.parseInt(listening.substring("LISTENING ".length()).trim())));
            peer.awaitLine("CONNECTED", Duration.ofSeconds(10));
            final boolean reading = "send".equals(peerMode);
            final java.util.concurrent.atomic.AtomicLong moved = new java.util.concurrent.atomic.AtomicLong();
            final Future<Integer> transfer = threads.submit(() ->
            {
                final MemorySegment buf = MemorySegment.ofArray(new byte[64 << 10]);
                int rc;
                do
                {
                    rc = reading ? client.recv(buf, 0, (int)buf.byteSize(), 0) : client.send(buf, 0, (int)buf.byteSize(), 0);
                    moved.addAndGet(Math.max(rc, 0));
                }
                while (rc > 0);
                return rc;
            });
            assertTrue(Pair.within(10_000, () -> moved.get() > (1 << 20)), "data flows before the kill: " + moved);
            peer.process().destroyForcibly();
            final long killed = System.nanoTime();
            final int rc = transfer.get(10, TimeUnit.SECONDS);
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertTrue(reading ? 0 == rc || -Errno.ECONNRESET.code() == rc
                : -Errno.ECONNRESET.code() == rc || -Errno.EPIPE.code() == rc,
                (reading ? "recv" : "send") + " ended with " + (rc < 0 ? Errno.nameOf(-rc) : rc));
            assertTrue(ms < 2_000, "the transfer ended " + ms + " ms after the kill");
        }
    }

    @Test
    public void shouldEndABlockedReaderWhenThePeerCloses() throws Exception
    {
        try (Pair pair = Pair.connect(provider(), -1))
        {
            final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
            final Future<Integer> reader = threads.submit(() -> pair.client.recv(buf, 0, 16, 0));
            Thread.sleep(300);
            assertFalse(reader.isDone());
            pair.server.close();
            final int rc = reader.get(2, TimeUnit.SECONDS);
            assertTrue(0 == rc || -Errno.ECONNRESET.code() == rc, "recv gave " + rc);
        }
    }

    @Test
    public void shouldReturnABlockedReaderWhenClosedFromAnotherThread() throws Exception
    {
        try (Pair pair = Pair.connect(provider(), -1))
        {
            final MemorySegment buf = MemorySegment.ofArray(new byte[16]);
            final Future<Integer> reader = threads.submit(() -> pair.client.recv(buf, 0, 16, 0));
            Thread.sleep(300);
            assertFalse(reader.isDone());
            final long start = System.nanoTime();
            pair.client.close();
            final int rc = reader.get(2, TimeUnit.SECONDS);
            assertTrue(rc <= 0, "recv gave " + rc);
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 2_000);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {65_536, 1})
    public void shouldReturnABlockedSenderWhenClosedFromAnotherThread(final int chunk) throws Exception
    {
        // 64 KiB chunks fill the 4 KiB ring; 1-byte messages use up the credits (every receive the
        // server posted) first, so our DISCONNECT RNR-retries forever: close must not wait for it.
        try (Pair pair = Pair.connect(provider(), 1 == chunk ? -1 : 4096))
        {
            final Future<Integer> sender = threads.submit(() -> sendUntilError(pair.client, chunk));
            Thread.sleep(300);
            assertFalse(sender.isDone(), "the sender must be blocked: the server reads nothing");
            final long start = System.nanoTime();
            pair.client.close();
            final long closeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            final int rc = sender.get(2, TimeUnit.SECONDS);
            assertTrue(rc < 0, "send gave " + rc);
            assertTrue(closeMs < 2_000, "close took " + closeMs + " ms");
        }
    }

    @Test
    public void shouldLeakNeitherThreadsNorEndpointsOverAThousandConnections() throws Exception
    {
        try (StreamRsocket listener = Pair.listen(provider(), -1))
        {
            cycles(listener, 20);
        }
        Thread.sleep(1_500);
        final int threadsBefore = liveThreads();
        final int endpointsBefore = StreamRsocket.openEndpoints();
        final int socketsBefore = StreamRsocket.openSockets();
        final long start = System.nanoTime();
        try (StreamRsocket listener = Pair.listen(provider(), -1))
        {
            cycles(listener, 1_000);
        }
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(endpointsBefore, StreamRsocket.openEndpoints(), "endpoints (native memory, queue pairs) left open");
        assertEquals(socketsBefore, StreamRsocket.openSockets(), "sockets left open");
        assertTrue(Pair.within(5_000, () -> liveThreads() <= threadsBefore),
            "threads grew from " + threadsBefore + " to " + liveThreads() + " after 1000 cycles in " + ms + " ms: " +
            Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList());
    }

    private void cycles(final StreamRsocket listener, final int n) throws Exception
    {
        for (int i = 0; i < n; i++)
        {
            final StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG);
            try
            {
                client.connect(Pair.addressOf(listener));
                try (StreamRsocket server = listener.accept())
                {
                    if (0 == i % 100)
                    {
                        Pair.assertWorks(client, server);
                    }
                }
            }
            finally
            {
                client.close();
            }
        }
    }

    private static int liveThreads()
    {
        return (int)Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).count();
    }

    private static int sendUntilError(final StreamRsocket rs, final int chunk)
    {
        final MemorySegment src = MemorySegment.ofArray(new byte[chunk]);
        while (true)
        {
            final int n = rs.send(src, 0, chunk, 0);
            if (n < 0)
            {
                return n;
            }
        }
    }
}
