package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.CmEventQueue;
import io.rdmasockets.testsuite.JavaProcess;
import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.testsuite.peer.RemotePeer;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.DEFAULT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A peer JVM killed with SIGKILL: the survivor must see its outstanding work fail, its queue pair in
 * ERR and DISCONNECTED, within 2 s, without hanging. The peer is {@link RemotePeer}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PeerFailureConformance extends AbstractVerbsTest
{
    /** How soon the survivor must know. */
    static final Duration DETECTION = Duration.ofSeconds(2);
    static final int RECEIVES = 64;

    private JavaProcess startPeer(final Listener listener) throws Exception
    {
        return closeAfter(JavaProcess.start("RemotePeer", JavaProcess.javaCommand(RemotePeer.class,
            provider().name(), listener.address.getAddress().getHostAddress(),
            Integer.toString(listener.address.getPort()))));
    }

    private RcEndpoint acceptPeer(final Listener listener, final JavaProcess peer) throws Exception
    {
        // Peer JVM start-up can be slow on a loaded CI machine: wait for the request generously.
        final CmEvent request = listener.events.poll(e -> CmEventType.CONNECT_REQUEST == e.type(),
            Duration.ofSeconds(30));
        assertNotNull(request, () -> "the peer never connected: " + peer);
        final PairSpec spec = PairSpec.defaults().queueDepth(64, RECEIVES);
        final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, request, spec));
        server.id.accept(spec.acceptParameters());
        listener.events.await(CmEventType.ESTABLISHED, server.id, DEFAULT_TIMEOUT);
        peer.awaitLine("CONNECTED", DEFAULT_TIMEOUT);
        return server;
    }

    @Test
    public void shouldFailOutstandingWorkAndDisconnectWithinTwoSecondsWhenPeerDiesMidTransfer() throws Exception
    {
        final Listener listener = closeAfter(Listener.open(provider(), testAddress(), 0, 4));
        final JavaProcess peer = startPeer(listener);
        final RcEndpoint server = acceptPeer(listener, peer);
        assertSurvivesPeerDeathMidTransfer(server, listener.events, peer);
    }

    @Test
    public void shouldFailOutstandingWorkAndDisconnectWithinTwoSecondsWhenAcceptingPeerDies() throws Exception
    {
        // The survivor is the active side this time: the peer listens and accepts.
        final JavaProcess peer = closeAfter(JavaProcess.start("RemotePeer", JavaProcess.javaCommand(RemotePeer.class,
            provider().name(), testAddress().getHostAddress(), "0", "listen")));
        final String listening = peer.awaitLine("LISTENING", Duration.ofSeconds(30));
        final int port = Integer.parseInt(listening.substring("LISTENING ".length()).trim());
        final PairSpec spec = PairSpec.defaults().queueDepth(64, RECEIVES);
        final RcEndpoint client = closeAfter(RcEndpoint.resolve(provider(), new InetSocketAddress(testAddress(), port),
            spec));
        client.id.connect(spec.connectParameters());
        client.events.await(CmEventType.ESTABLISHED, client.id, DEFAULT_TIMEOUT);
        peer.awaitLine("CONNECTED", DEFAULT_TIMEOUT);
        assertSurvivesPeerDeathMidTransfer(client, client.events, peer);
    }

    /** Streams from the peer into {@code survivor}, leaves sends outstanding, kills the peer, checks. */
    private static void assertSurvivesPeerDeathMidTransfer(
        final RcEndpoint survivor, final CmEventQueue events, final JavaProcess peer) throws Exception
    {
        final MemoryRegion dst = survivor.register((long)RECEIVES * RemotePeer.MESSAGE_LENGTH, Access.LOCAL_WRITE);
        for (int i = 0; i < RECEIVES; i++)
        {
            survivor.postReceive(i, dst, (long)i * RemotePeer.MESSAGE_LENGTH, RemotePeer.MESSAGE_LENGTH);
        }
        // Stream until well under way.
        int received = 0;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received < 500)
        {
            for (final Wc wc : Tests.pollUpTo(survivor.recvCq, survivor.wc, 64, Duration.ZERO))
            {
                assertEquals(WcStatus.SUCCESS, wc.status(), wc::toString);
                received++;
                survivor.postReceive(wc.wrId(), dst, wc.wrId() * RemotePeer.MESSAGE_LENGTH, RemotePeer.MESSAGE_LENGTH);
            }
            assertTrue(System.nanoTime() < deadlineNs, "only " + received + " messages streamed: " + peer);
            Tests.idle();
        }
        // The peer never posts receives: these sends are outstanding when it dies.
        final MemoryRegion src = survivor.register(64, Access.LOCAL_WRITE);
        for (int i = 0; i < 4; i++)
        {
            survivor.post(1000 + i, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
        }

        final long killedNs = System.nanoTime();
        peer.process().destroyForcibly();

        final CmEvent disconnected = events.poll(e -> e.id() == survivor.id, DETECTION.plusMillis(500));
        final long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
        assertNotNull(disconnected, () -> "no CM event within " + DETECTION + " of the peer's death; peer printed " +
            peer.lines());
        assertEquals(CmEventType.DISCONNECTED, disconnected.type(), disconnected::toString);
        assertTrue(detectedMs <= DETECTION.toMillis(), "DISCONNECTED after " + detectedMs + " ms");

        final List<Wc> sends = Tests.pollUpTo(survivor.sendCq, survivor.wc, 4, DETECTION);
        assertEquals(4, sends.size(), () -> "outstanding sends must complete within " + DETECTION + ": " + sends);
        for (int i = 0; i < sends.size(); i++)
        {
            assertEquals(1000 + i, sends.get(i).wrId(), sends::toString);
            assertNotEquals(WcStatus.SUCCESS, sends.get(i).status(), () -> "nobody received it: " + sends);
        }
        assertTrue(System.nanoTime() - killedNs <= DETECTION.toNanos() + TimeUnit.MILLISECONDS.toNanos(500),
            "error completions took too long");
        survivor.awaitState(QpState.ERR);
        // Every posted receive completes: with data that was in flight before the death, then flushed
        // (messages still in flight may have used them all up). Nothing succeeds after a flush.
        final List<Wc> receives = new ArrayList<>(
            Tests.pollUpTo(survivor.recvCq, survivor.wc, RECEIVES, DETECTION));
        assertEquals(RECEIVES, receives.size(), "every posted receive completes");
        boolean flushed = false;
        for (final Wc wc : receives)
        {
            flushed |= WcStatus.WR_FLUSH_ERR == wc.status();
            assertEquals(flushed ? WcStatus.WR_FLUSH_ERR : WcStatus.SUCCESS, wc.status(), receives::toString);
        }
        survivor.postReceive(9999, dst, 0, RemotePeer.MESSAGE_LENGTH);
        final Wc late = survivor.awaitRecvCompletion();
        assertEquals(WcStatus.WR_FLUSH_ERR, late.status(), () -> "a receive posted after the death: " + late);
    }

    @Test
    public void shouldDisconnectWithinTwoSecondsWhenPeerDiesWhileItsSendsWaitForReceives() throws Exception
    {
        final Listener listener = closeAfter(Listener.open(provider(), testAddress(), 0, 4));
        final JavaProcess peer = startPeer(listener);
        final RcEndpoint server = acceptPeer(listener, peer);
        // Let its SENDs pile up in RNR waits here (no receives posted), then kill it.
        peer.awaitLine("CONNECTED", DEFAULT_TIMEOUT);
        Thread.sleep(300);
        final long killedNs = System.nanoTime();
        peer.process().destroyForcibly();
        final CmEvent disconnected = listener.events.poll(e -> e.id() == server.id, DETECTION.plusMillis(500));
        final long detectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedNs);
        assertNotNull(disconnected, () -> "no CM event within " + DETECTION + " of the peer's death; peer printed " +
            peer.lines());
        assertEquals(CmEventType.DISCONNECTED, disconnected.type(), disconnected::toString);
        assertTrue(detectedMs <= DETECTION.toMillis(), "DISCONNECTED after " + detectedMs + " ms");
        server.awaitState(QpState.ERR);
    }
}
