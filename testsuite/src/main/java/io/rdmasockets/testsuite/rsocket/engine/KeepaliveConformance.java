package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.engine.RsocketState;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.DeviceQuirk;
import io.rdmasockets.testsuite.JavaProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.CONNECT_RDWR;
import static io.rdmasockets.rsocket.engine.RsocketState.ERROR;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** SO_KEEPALIVE (wire-protocol doc section 4.3) on the provider under test. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class KeepaliveConformance extends AbstractVerbsTest
{
    /**
     * A probe is an RDMA write that fails only once the transport gives up retrying: rsocket asks for
     * {@code retry_count} 7, which rxe retries for ever ({@link DeviceQuirk#RETRY_COUNT_7_IS_INFINITE}), so
     * there no probe can find a dead peer (C librdmacm's cannot either).
     */
    private void assumeNoEndlessRetries()
    {
        assumeFalse(quirks().contains(DeviceQuirk.RETRY_COUNT_7_IS_INFINITE),
            "the device retries retry_count 7 for ever: a keepalive probe never fails there");
    }

    @Test
    public void shouldNoticeADeadPeerOnAnIdleConnectionOnlyWithKeepalive() throws Exception
    {
        assumeNoEndlessRetries();
        try (Pair probed = Pair.connect(provider(), -1); Pair unprobed = Pair.connect(provider(), -1))
        {
            probed.client.keepAliveIdleSeconds(1);
            probed.client.keepAlive(true);
            // The peers die silently: their queue pairs fail, their connections stay (a hung host, as
            // far as the transport can tell). Nothing goes on the wire until somebody sends.
            probed.server.queuePair().modifyToError();
            unprobed.server.queuePair().modifyToError();

            final long start = System.nanoTime();
            assertTrue(Pair.within(5_000, () -> ERROR == probed.client.state()),
                "an idle keepalive socket must notice a dead peer; state " + RsocketState.toString(probed.client.state()));
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(probed.client.keepaliveProbes() >= 1);
            assertEquals(CONNECT_RDWR, unprobed.client.state(), "without keepalive nothing notices (" + ms + " ms)");

            final MemorySegment buf = MemorySegment.ofArray(new byte[8]);
            assertEquals(-Errno.ECONNRESET.code(), probed.client.recv(buf, 0, 8, 0));
            assertEquals(-Errno.ECONNRESET.code(), probed.client.send(buf, 0, 8, 0));
            assertNotEquals(0, probed.client.pollEvents() & StreamRsocket.POLLERR);
        }
    }

    @Test
    public void shouldEndAnIdleKeepaliveSocketWhosePeerQueuePairIsDestroyed() throws Exception
    {
        assumeNoEndlessRetries();
        try (Pair pair = Pair.connect(provider(), -1))
        {
            pair.client.keepAliveIdleSeconds(1);
            pair.client.keepAlive(true);
            // The tcp provider drops the connection with the queue pair, so the connection manager tells
            // first; on InfiniBand a vanished host is noticed only by the probe.
            pair.server.queuePair().close();
            assertTrue(Pair.within(5_000, () -> 0 == (pair.client.state() & RsocketState.CONNECTED)),
                RsocketState.toString(pair.client.state()));
            final MemorySegment buf = MemorySegment.ofArray(new byte[8]);
            final int rc = pair.client.recv(buf, 0, 8, 0);
            assertTrue(0 == rc || -Errno.ECONNRESET.code() == rc, "recv gave " + rc);
            assertEquals(-Errno.ECONNRESET.code(), pair.client.send(buf, 0, 8, 0));
            assertTrue(Pair.within(3_000, () -> 0 == StreamRsocket.keepaliveSockets()), "a dead socket is dropped");
        }
    }

    @Test
    public void shouldEndAnIdleKeepaliveSocketWhosePeerProcessIsKilled() throws Exception
    {
        try (JavaProcess peer = JavaProcess.start("PeerProcess", JavaProcess.javaCommand(PeerProcess.class, provider().name()));
             StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG))
        {
            final String listening = peer.awaitLine("LISTENING", Duration.ofSeconds(30));
            final int port = Integer.parseInt(listening.substring("LISTENING ".length()).trim());
            client.keepAliveIdleSeconds(1);
            client.keepAlive(true);
            client.connect(new InetSocketAddress(testAddress(), port));
            peer.awaitLine("CONNECTED", Duration.ofSeconds(10));
            assertTrue(Pair.within(5_000, () -> client.keepaliveProbes() >= 2), "probes " + client.keepaliveProbes());
            assertEquals(CONNECT_RDWR, client.state(), "a healthy peer process survives the probes");

            peer.process().destroyForcibly();
            assertTrue(Pair.within(5_000, () -> 0 == (client.state() & RsocketState.CONNECTED)),
                "an idle socket must notice its peer's death: " + RsocketState.toString(client.state()));
            final MemorySegment buf = MemorySegment.ofArray(new byte[8]);
            final int rc = client.recv(buf, 0, 8, 0);
            assertTrue(0 == rc || -Errno.ECONNRESET.code() == rc, "recv gave " + rc);
            assertEquals(-Errno.ECONNRESET.code(), client.send(buf, 0, 8, 0));
        }
    }

    /** Probes go only to idle connections: traffic keeps them away, and they follow its end within 1.25x idle. */
    @Test
    public void shouldProbeOnlyOnceTheTrafficStops() throws Exception
    {
        try (Pair pair = Pair.connect(provider(), -1))
        {
            pair.client.keepAliveIdleSeconds(1);
            pair.client.keepAlive(true);
            final MemorySegment buf = MemorySegment.ofArray(new byte[8]);
            final long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_500);
            while (System.nanoTime() < end)
            {
                assertEquals(8, pair.client.send(buf, 0, 8, 0));
                assertEquals(8, pair.server.recv(buf, 0, 8, StreamRsocket.MSG_WAITALL));
                Thread.sleep(50);
            }
            assertEquals(0, pair.client.keepaliveProbes(), "a connection sending every 50 ms is not idle");
            final long stopped = System.nanoTime();
            assertTrue(Pair.within(5_000, () -> pair.client.keepaliveProbes() >= 1), "no probe once idle");
            final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopped);
            // 1 s idle, plus up to a quarter of it between visits, plus scheduling slack.
            assertTrue(ms >= 900 && ms < 2_000, "the first probe came " + ms + " ms after the last send");
        }
    }

    @Test
    public void shouldKeepAHealthyIdleConnectionAndLeaveNoThread() throws Exception
    {
        try (Pair pair = Pair.connect(provider(), -1))
        {
            for (final StreamRsocket rs : new StreamRsocket[] {pair.client, pair.server})
            {
                rs.keepAliveIdleSeconds(1);
                rs.keepAlive(true);
            }
            assertTrue(Pair.within(10_000, () -> pair.client.keepaliveProbes() >= 3 && pair.server.keepaliveProbes() >= 3),
                "probes " + pair.client.keepaliveProbes() + "/" + pair.server.keepaliveProbes());
            assertEquals(CONNECT_RDWR, pair.client.state());
            assertEquals(CONNECT_RDWR, pair.server.state());
            // Probes carry no immediate: no receive completion, no data, no error at either end.
            final MemorySegment buf = MemorySegment.ofArray(new byte[8]);
            assertEquals(-Errno.EAGAIN.code(), pair.server.recv(buf, 0, 8, StreamRsocket.MSG_DONTWAIT));
            assertEquals(-Errno.EAGAIN.code(), pair.client.recv(buf, 0, 8, StreamRsocket.MSG_DONTWAIT));
            assertEquals(0, pair.server.available());
            Pair.assertWorks(pair.client, pair.server);
            Pair.assertWorks(pair.server, pair.client);
            assertEquals(0, pair.client.takeError());
            assertEquals(2, StreamRsocket.keepaliveSockets());
        }
        assertEquals(0, StreamRsocket.keepaliveSockets());
        assertTrue(Pair.within(3_000, () -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals("rdmasockets-rsocket-keepalive"))), "the keepalive thread exits");
    }

    @Test
    public void shouldRefuseAnIdleTimeOutOfRange() throws Exception
    {
        try (StreamRsocket rs = StreamRsocket.open(provider(), Pair.CONFIG))
        {
            final var e = assertThrows(io.rdmasockets.common.ErrnoException.class, () -> rs.keepAliveIdleSeconds(0));
            assertEquals(Errno.EINVAL.code(), e.errno());
            rs.keepAlive(true);
            assertTrue(rs.keepAlive());
            assertEquals(0, StreamRsocket.keepaliveSockets(), "registered only once connected");
        }
    }
}
