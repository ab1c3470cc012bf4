package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.CmEventQueue;
import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PortSpace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rdmasockets.testsuite.Tests.DEFAULT_TIMEOUT;
import static io.rdmasockets.testsuite.Tests.assertThrowsErrno;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection manager: private data both ways with IB padding, reject, connecting to nobody,
 * disconnect from either side, argument checks, backlog and event order.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ConnectionManagerConformance extends AbstractVerbsTest
{
    static final Duration QUIET = Duration.ofMillis(300);

    private static byte[] pattern(final int length, final int seed)
    {
        final byte[] b = new byte[length];
        for (int i = 0; i < length; i++)
        {
            b[i] = Tests.patternByte(seed, i);
        }
        return b;
    }

    /** Asserts the peer's data is ours followed by zeroes up to the CM message's fixed size. */
    private static void assertPrivateData(
        final byte[] sent, final byte[] received, final int paddedLength, final String what)
    {
        assertEquals(paddedLength, received.length, () -> what + ": private data is padded to " + paddedLength);
        assertArrayEquals(sent, Arrays.copyOf(received, sent.length), what + ": private data round-trips");
        for (int i = sent.length; i < received.length; i++)
        {
            assertEquals(0, received[i], what + ": padding byte " + i + " is zero");
        }
    }

    private Listener listen(final int backlog) throws Exception
    {
        return closeAfter(Listener.open(provider(), testAddress(), 0, backlog));
    }

    private RcEndpoint resolveClient(final Listener listener, final PairSpec spec) throws Exception
    {
        return closeAfter(RcEndpoint.resolve(provider(), listener.address, spec));
    }

    @Test
    public void shouldCarryFullPrivateDataBothWays() throws Exception
    {
        final byte[] connectData = pattern(ConnectionParameters.MAX_CONNECT_PRIVATE_DATA, 1);
        final byte[] acceptData = pattern(ConnectionParameters.MAX_ACCEPT_PRIVATE_DATA, 2);
        final RcPair pair = connectPair(PairSpec.defaults().connectData(connectData).acceptData(acceptData));
        assertPrivateData(connectData, pair.connectRequest.privateData(), 56, "CONNECT_REQUEST");
        assertPrivateData(acceptData, pair.clientEstablished.privateData(), 196, "ESTABLISHED at the client");
    }

    @Test
    public void shouldPadShortPrivateDataWithZeroes() throws Exception
    {
        // rsocket's connect message is 40-odd bytes; its accept as short.
        final byte[] connectData = pattern(44, 3);
        final byte[] acceptData = pattern(41, 4);
        final RcPair pair = connectPair(PairSpec.defaults().connectData(connectData).acceptData(acceptData));
        assertPrivateData(connectData, pair.connectRequest.privateData(), 56, "CONNECT_REQUEST");
        assertPrivateData(acceptData, pair.clientEstablished.privateData(), 196, "ESTABLISHED at the client");
        final ConnectionParameters p = pair.connectRequest.parameters();
        assertNotNull(p, "CONNECT_REQUEST carries the requester's parameters");
        assertEquals(ConnectionParameters.RNR_RETRY_INFINITE, p.rnrRetryCount(), "requester's rnr_retry_count");
    }

    @Test
    public void shouldReportIdsAddressesAndContextOfTheRequest() throws Exception
    {
        final RcPair pair = connectPair();
        final CmEvent request = pair.connectRequest;
        assertSame(pair.listener.id, request.listenId(), "CONNECT_REQUEST names the listening id");
        assertTrue(request.id() != pair.listener.id, "the request carries a new id");
        assertEquals("listener", request.id().context(), "an incoming id inherits the listener's context");
        assertSame(pair.listener.events.channel(), request.id().channel(), "bound to the listener's channel");
        assertEquals(pair.listener.address, pair.client.id.peerAddress(), "client's peer address");
        assertEquals(pair.client.id.localAddress(), pair.server.id.peerAddress(), "server's peer address");
        assertEquals(QpState.RTS, pair.client.qp.state());
        assertEquals(QpState.RTS, pair.server.qp.state());
    }

    @Test
    public void shouldDeliverEstablishedOnlyAfterAccept() throws Exception
    {
        final Listener listener = listen(8);
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = resolveClient(listener, spec);
        client.id.connect(spec.connectParameters());
        final CmEvent request = listener.awaitRequest(DEFAULT_TIMEOUT);
        final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, request, spec));
        assertNull(client.events.poll(e -> true, QUIET), "no client event before the server accepts");
        server.id.accept(spec.acceptParameters());
        final CmEvent established = client.events.next(client.id, DEFAULT_TIMEOUT);
        assertEquals(CmEventType.ESTABLISHED, established.type(), established::toString);
        assertEquals(CmEventType.ESTABLISHED, listener.events.next(server.id, DEFAULT_TIMEOUT).type());
        assertEquals(List.of(CmEventType.CONNECT_REQUEST, CmEventType.ESTABLISHED),
            listener.events.history().stream().map(CmEvent::type).toList(), "listener channel order");
    }

    @Test
    public void shouldReceiveWhatActiveSideSendsRightAfterEstablished() throws Exception
    {
        final Listener listener = listen(8);
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = resolveClient(listener, spec);
        // rsocket posts its receives before connect and accept: legal before the QP is RTR.
        final MemoryRegion clientRecv = client.register(64, Access.LOCAL_WRITE);
        client.postReceive(7, clientRecv, 0, 64);
        client.id.connect(spec.connectParameters());
        final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, listener.awaitRequest(DEFAULT_TIMEOUT),
            spec));
        final MemoryRegion serverRecv = server.register(64, Access.LOCAL_WRITE);
        server.postReceive(8, serverRecv, 0, 64);
        server.id.accept(spec.acceptParameters());
        client.events.await(CmEventType.ESTABLISHED, client.id, DEFAULT_TIMEOUT);
        final MemoryRegion src = client.registerFilled(64, Access.LOCAL_WRITE, 9);
        client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0,
            0, 0);
        // The passive side has not taken its ESTABLISHED yet: its QP must already take the message.
        final Wc received = server.awaitRecvCompletion();
        assertEquals(WcStatus.SUCCESS, received.status(), received::toString);
        assertEquals(8, received.wrId());
        Tests.assertPattern(serverRecv.segment(), 9, "first message");
        listener.events.await(CmEventType.ESTABLISHED, server.id, DEFAULT_TIMEOUT);
        final MemoryRegion reply = server.registerFilled(64, Access.LOCAL_WRITE, 10);
        server.post(2, WrOpcode.SEND, SendFlags.SIGNALED, reply, 0, 64, 0,
            0, 0);
        assertEquals(7, client.awaitRecvCompletion().wrId(), "receive posted before connect");
        Tests.assertPattern(clientRecv.segment(), 10, "reply");
    }

    @Test
    public void shouldRejectWithPrivateData() throws Exception
    {
        final Listener listener = listen(8);
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = resolveClient(listener, spec);
        client.id.connect(spec.connectParameters());
        final CmEvent request = listener.awaitRequest(DEFAULT_TIMEOUT);
        onCleanup(request.id()::close);
        final byte[] why = pattern(100, 5);
        request.id().reject(why);
        final CmEvent rejected = client.events.next(client.id, DEFAULT_TIMEOUT);
        assertEquals(CmEventType.REJECTED, rejected.type(), rejected::toString);
        assertEquals(CmEvent.REJECT_CONSUMER, rejected.status(), "status of a consumer reject");
        assertPrivateData(why, rejected.privateData(), 148, "REJECTED");
    }

    @Test
    public void shouldReportRejectedOrUnreachableWhenNobodyListens() throws Exception
    {
        final Listener probe = Listener.open(provider(), testAddress(), 0, 1);
        final int freePort = probe.address.getPort();
        probe.close();
        final CmEvent e = connectTo(freePort);
        assertTrue(CmEventType.REJECTED == e.type() || CmEventType.UNREACHABLE == e.type(),
            () -> "connect to a port nobody listens on: " + e + " status " + e.status());
        if (CmEventType.REJECTED == e.type())
        {
            assertEquals(CmEvent.REJECT_INVALID_SERVICE_ID, e.status(), "reject reason when nobody listens");
        }
    }

    @Test
    public void shouldRejectAConnectRightAfterTheListenerClosed() throws Exception
    {
        // Closing a listening id releases the port before close returns, as rdma_destroy_id does: a request
        // that follows at once must be refused, never accepted and then dropped.
        for (int i = 0; i < 10; i++)
        {
            final Listener probe = Listener.open(provider(), testAddress(), 0, 1);
            final int port = probe.address.getPort();
            probe.close();
            final CmEvent e = connectTo(port);
            final int round = i;
            assertEquals(CmEventType.REJECTED, e.type(), () -> "round " + round + ": " + e + " status " + e.status());
            assertEquals(CmEvent.REJECT_INVALID_SERVICE_ID, e.status(), "reject reason when nobody listens");
        }
    }

    /** Connects a fresh id with a queue pair to a port on the test address; returns its first event. */
    private CmEvent connectTo(final int port) throws Exception
    {
        final CmEventChannel channel = closeAfter(provider().connectionManager().createEventChannel());
        final CmEventQueue events = new CmEventQueue(channel);
        final CmId id = provider().connectionManager().createId(channel, PortSpace.TCP, null);
        final CompletionQueue[] cq = new CompletionQueue[1];
        onCleanup(() ->
        {
            id.close();
            if (null != cq[0])
            {
                cq[0].close();
            }
        });
        RcEndpoint.resolveRoute(events, id, new InetSocketAddress(testAddress(), port));
        cq[0] = id.verbsContext().createCompletionQueue(16, null, 0);
        id.createQueuePair(null, QueuePairInitAttributes.rc(cq[0], 8, 8));
        id.connect(PairSpec.defaults().connectParameters());
        return events.next(id, DEFAULT_TIMEOUT);
    }

    @Test
    public void shouldDisconnectFromClientSide() throws Exception
    {
        assertDisconnect(true);
    }

    @Test
    public void shouldDisconnectFromServerSide() throws Exception
    {
        assertDisconnect(false);
    }

    private void assertDisconnect(final boolean clientInitiates) throws Exception
    {
        final RcPair pair = connectPair();
        final RcEndpoint initiator = clientInitiates ? pair.client : pair.server;
        final RcEndpoint other = clientInitiates ? pair.server : pair.client;
        final MemoryRegion mr = other.register(64, Access.LOCAL_WRITE);
        other.postReceive(1, mr, 0, 64);
        initiator.id.disconnect();
        assertEquals(CmEventType.DISCONNECTED, initiator.events.next(initiator.id, DEFAULT_TIMEOUT).type(),
            initiator.name + " sees DISCONNECTED");
        assertEquals(CmEventType.DISCONNECTED, other.events.next(other.id, DEFAULT_TIMEOUT).type(),
            other.name + " sees DISCONNECTED");
        initiator.awaitState(QpState.ERR);
        other.awaitState(QpState.ERR);
        final Wc wc = other.awaitRecvCompletion();
        assertEquals(WcStatus.WR_FLUSH_ERR, wc.status(), () -> "receive outstanding at disconnect: " + wc);
    }

    @Test
    public void shouldReportDisconnectedToPeerWhenIdIsDestroyed() throws Exception
    {
        final Listener listener = listen(8);
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = RcEndpoint.resolve(provider(), listener.address, spec);
        client.id.connect(spec.connectParameters());
        final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, listener.awaitRequest(DEFAULT_TIMEOUT),
            spec));
        server.id.accept(spec.acceptParameters());
        client.events.await(CmEventType.ESTABLISHED, client.id, DEFAULT_TIMEOUT);
        listener.events.await(CmEventType.ESTABLISHED, server.id, DEFAULT_TIMEOUT);
        client.close();
        assertEquals(CmEventType.DISCONNECTED, listener.events.next(server.id, DEFAULT_TIMEOUT).type());
        server.awaitState(QpState.ERR);
    }

    @Test
    public void shouldRefuseTooMuchPrivateData() throws Exception
    {
        final Listener listener = listen(8);
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = resolveClient(listener, spec);
        final ConnectionParameters tooBig = new ConnectionParameters(new byte[57], 1, 1, true, 7, 7);
        assertThrowsErrno(Errno.EINVAL, () -> client.id.connect(tooBig), "connect with 57 bytes of private data");
        client.id.connect(spec.connectParameters());
        final CmEvent request = listener.awaitRequest(DEFAULT_TIMEOUT);
        final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, request, spec));
        assertThrowsErrno(Errno.EINVAL,
            () -> server.id.accept(new ConnectionParameters(new byte[197], 1, 1, true, 7, 7)),
            "accept with 197 bytes of private data");
        assertThrowsErrno(Errno.EINVAL, () -> server.id.reject(new byte[149]), "reject with 149 bytes");
        // The request is still pending and can be accepted properly.
        server.id.accept(spec.acceptParameters());
        assertEquals(CmEventType.ESTABLISHED, client.events.next(client.id, DEFAULT_TIMEOUT).type());
    }

    @Test
    public void shouldRefuseConnectWithoutQueuePair() throws Exception
    {
        final Listener listener = listen(8);
        final CmEventChannel channel = closeAfter(provider().connectionManager().createEventChannel());
        final CmEventQueue events = new CmEventQueue(channel);
        final CmId id = provider().connectionManager().createId(channel, PortSpace.TCP, null);
        onCleanup(id::close);
        RcEndpoint.resolveRoute(events, id, listener.address);
        assertThrowsErrno(Errno.EINVAL, () -> id.connect(PairSpec.defaults().connectParameters()),
            "connect without a queue pair");
    }

    @Test
    public void shouldRefuseDisconnectWhenNotConnected() throws Exception
    {
        final Listener listener = listen(8);
        final RcEndpoint client = resolveClient(listener, PairSpec.defaults());
        assertThrowsErrno(Errno.EINVAL, client.id::disconnect, "disconnect before connect");
    }

    @Test
    public void shouldRefuseSecondListenerOnSamePort() throws Exception
    {
        final Listener listener = listen(8);
        final CmEventChannel channel = closeAfter(provider().connectionManager().createEventChannel());
        final CmId id = provider().connectionManager().createId(channel, PortSpace.TCP, null);
        onCleanup(id::close);
        assertThrowsErrno(Errno.EADDRINUSE, () ->
        {
            id.bind(listener.address);
            id.listen(8);
        }, "bind+listen on a port another id listens on");
    }

    @Test
    public void shouldQueueRequestsUpToBacklogAndNeverHangTheOthers() throws Exception
    {
        final int backlog = 2;
        final int clients = 5;
        final Listener listener = listen(backlog);
        final PairSpec spec = PairSpec.defaults().queueDepth(8, 8);
        final List<RcEndpoint> active = new ArrayList<>();
        for (int i = 0; i < clients; i++)
        {
            final RcEndpoint c = resolveClient(listener, spec);
            c.id.connect(spec.connectParameters());
            active.add(c);
        }
        // Nobody takes requests for a while: the CM queues `backlog` of them and rejects the rest.
        Thread.sleep(500);
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        int accepted = 0;
        int established = 0;
        int rejected = 0;
        final boolean[] done = new boolean[clients];
        while (established + rejected < clients)
        {
            final CmEvent request = listener.events.poll(e -> CmEventType.CONNECT_REQUEST == e.type(),
                Duration.ofMillis(10));
            if (null != request)
            {
                final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, request, spec));
                server.id.accept(spec.acceptParameters());
                accepted++;
            }
            for (int i = 0; i < clients; i++)
            {
                final RcEndpoint c = active.get(i);
                final CmEvent e = done[i] ? null : c.events.poll(ev -> true, Duration.ZERO);
                if (null != e)
                {
                    done[i] = true;
                    if (CmEventType.ESTABLISHED == e.type())
                    {
                        established++;
                    }
                    else
                    {
                        assertEquals(CmEventType.REJECTED, e.type(), () -> "a client beyond the backlog: " + e);
                        rejected++;
                    }
                }
            }
            assertTrue(System.nanoTime() < deadlineNs, "clients still waiting: established " + established +
                ", rejected " + rejected + " of " + clients);
        }
        assertTrue(established >= backlog, "at least the backlog was established: " + established);
        assertEquals(accepted, established, "every accepted request was established");
    }

    @Test
    public void shouldTimeOutWakeUpAndNotifyOnEventChannel() throws Exception
    {
        final CmEventChannel channel = closeAfter(provider().connectionManager().createEventChannel());
        final long start = System.nanoTime();
        assertNull(channel.awaitEvent(200, TimeUnit.MILLISECONDS), "no event: timeout");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(150), "waited the timeout");
        assertFalse(channel.hasEvent());
        channel.wakeup();
        final long woken = System.nanoTime();
        assertNull(channel.awaitEvent(10, TimeUnit.SECONDS), "a pending wakeup returns null");
        assertTrue(System.nanoTime() - woken < TimeUnit.SECONDS.toNanos(2), "at once");
        final AtomicInteger calls = new AtomicInteger();
        channel.readyListener(calls::incrementAndGet);
        channel.wakeup();
        Tests.await(() -> calls.get() > 0, "the ready listener runs on wakeup");
        channel.readyListener(null);
        assertNull(channel.awaitEvent(0, TimeUnit.SECONDS), "consume the wakeup");
    }

    @Test
    public void shouldRunReadyListenerWhenConnectRequestArrives() throws Exception
    {
        final Listener listener = listen(8);
        final AtomicInteger calls = new AtomicInteger();
        listener.events.channel().readyListener(calls::incrementAndGet);
        onCleanup(() -> listener.events.channel().readyListener(null));
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = resolveClient(listener, spec);
        client.id.connect(spec.connectParameters());
        Tests.await(() -> calls.get() > 0, "the listener channel's ready listener runs");
        assertTrue(listener.events.channel().hasEvent(), "an event is ready");
        final CmEvent request = listener.awaitRequest(DEFAULT_TIMEOUT);
        closeAfter(RcEndpoint.forRequest(listener, request, spec)).id.reject(null);
        assertEquals(CmEventType.REJECTED, client.events.next(client.id, DEFAULT_TIMEOUT).type());
    }

    @Test
    public void shouldDeliverEventsToChannelIdWasMigratedTo() throws Exception
    {
        final Listener listener = listen(8);
        final CmEventChannel other = closeAfter(provider().connectionManager().createEventChannel());
        final PairSpec spec = PairSpec.defaults();
        final RcEndpoint client = resolveClient(listener, spec);
        client.id.migrate(other);
        assertSame(other, client.id.channel());
        client.id.connect(spec.connectParameters());
        final RcEndpoint server = closeAfter(RcEndpoint.forRequest(listener, listener.awaitRequest(DEFAULT_TIMEOUT),
            spec));
        server.id.accept(spec.acceptParameters());
        final CmEvent established = other.awaitEvent(10, TimeUnit.SECONDS);
        assertNotNull(established, "ESTABLISHED on the new channel");
        assertEquals(CmEventType.ESTABLISHED, established.type());
        assertSame(client.id, established.id());
        assertNull(client.events.poll(e -> true, QUIET), "nothing on the old channel");
        // Back home, so that the endpoint closes its id before its own channel.
        client.id.migrate(client.events.channel());
    }

    @Test
    public void shouldRefuseReuseAddressOnceBound() throws Exception
    {
        final Listener listener = listen(8);
        assertThrowsErrno(Errno.EINVAL, () -> listener.id.reuseAddress(true), "reuseAddress after bind");
    }

    @Test
    public void shouldFailResolveRouteBeforeAddressResolution() throws Exception
    {
        final CmEventChannel channel = closeAfter(provider().connectionManager().createEventChannel());
        final CmId id = provider().connectionManager().createId(channel, PortSpace.TCP, null);
        onCleanup(id::close);
        assertThrowsErrno(Errno.EINVAL, () -> id.resolveRoute(Duration.ofSeconds(1)),
            "resolveRoute before resolveAddress");
        assertNull(id.verbsContext(), "an unbound id has no device");
    }
}
