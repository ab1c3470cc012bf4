package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.DEFAULT_TIMEOUT;
import static io.rdmasockets.testsuite.Tests.assertPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Many queue pairs at once: 64 connections through one listener, requests arriving concurrently,
 * traffic on all of them checked per connection, then everything closed without leaking threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ManyConnectionsConformance extends AbstractVerbsTest
{
    static final int CONNECTIONS = 64;
    static final int LENGTH = 4096;

    @Test
    public void shouldCarryTrafficOnSixtyFourConnectionsThroughOneListener() throws Exception
    {
        // Warm the provider up first so its shared threads are part of the baseline.
        RcPair.connect(provider(), testAddress(), PairSpec.defaults()).close();
        final Set<String> threadsBefore = liveThreadNames();

        final PairSpec spec = PairSpec.defaults().queueDepth(16, 16).cqEntries(64)
            .connectData(new byte[] {1, 2, 3});
        final List<RcEndpoint> clients = new ArrayList<>();
        final Map<Integer, RcEndpoint> serversByClient = new HashMap<>();
        final Listener listener = Listener.open(provider(), testAddress(), 0, CONNECTIONS * 2);
        try
        {
            for (int i = 0; i < CONNECTIONS; i++)
            {
                final RcEndpoint c = RcEndpoint.resolve(provider(), listener.address, spec.connectData(
                    new byte[] {(byte)i, (byte)(i >> 8), 42}));
                clients.add(c);
                c.id.connect(spec.connectParameters());
            }
            // Accept in arrival order; the private data tells which client each request is.
            for (int n = 0; n < CONNECTIONS; n++)
            {
                final CmEvent request = listener.awaitRequest(DEFAULT_TIMEOUT);
                final byte[] data = request.privateData();
                assertEquals(42, data[2], "private data of request " + n);
                final int index = (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
                final RcEndpoint server = RcEndpoint.forRequest(listener, request, spec);
                assertEquals(null, serversByClient.put(index, server), "two requests from client " + index);
                server.id.accept(spec.acceptParameters());
            }
            for (int i = 0; i < CONNECTIONS; i++)
            {
                clients.get(i).events.await(CmEventType.ESTABLISHED, clients.get(i).id, DEFAULT_TIMEOUT);
                listener.events.await(CmEventType.ESTABLISHED, serversByClient.get(i).id, DEFAULT_TIMEOUT);
            }
            assertEquals(CONNECTIONS, new HashSet<>(clients.stream().map(c -> c.qp.qpNumber()).toList()).size(),
                "queue pair numbers are unique");

            runTraffic(clients, serversByClient);
        }
        finally
        {
            final List<Throwable> failures = new ArrayList<>();
            for (final RcEndpoint c : clients)
            {
                close(c, failures);
            }
            for (final RcEndpoint s : serversByClient.values())
            {
                close(s, failures);
            }
            close(listener, failures);
            if (!failures.isEmpty())
            {
                throw new AssertionError("closing failed: " + failures, failures.getFirst());
            }
        }
        assertThreadsSettle(threadsBefore, 2, Duration.ofSeconds(10));
    }

    private static void close(final AutoCloseable c, final List<Throwable> failures)
    {
        try
        {
            c.close();
        }
        catch (final Exception | AssertionError e)
        {
            failures.add(e);
        }
    }

    private static void runTraffic(final List<RcEndpoint> clients, final Map<Integer, RcEndpoint> servers)
        throws Exception
    {
        final int rw = Access.LOCAL_WRITE | Access.REMOTE_WRITE;
        final List<MemoryRegion> targets = new ArrayList<>();
        final List<MemoryRegion> replies = new ArrayList<>();
        // Every server takes one WRITE_WITH_IMM, every client one SEND back: all posted before any traffic.
        for (int i = 0; i < CONNECTIONS; i++)
        {
            final RcEndpoint server = servers.get(i);
            targets.add(server.register(LENGTH, rw));
            server.postEmptyReceive(i);
            final MemoryRegion reply = clients.get(i).register(64, Access.LOCAL_WRITE);
            replies.add(reply);
            clients.get(i).postReceive(i, reply, 0, 64);
        }
        for (int i = 0; i < CONNECTIONS; i++)
        {
            final RcEndpoint client = clients.get(i);
            final MemoryRegion src = client.registerFilled(LENGTH, Access.LOCAL_WRITE, 100 + i);
            client.post(i, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, LENGTH, targets.get(i).address(),
                targets.get(i).rkey(), 0x10000 + i);
        }
        for (int i = 0; i < CONNECTIONS; i++)
        {
            final RcEndpoint server = servers.get(i);
            final Wc wc = server.awaitRecvCompletion();
            assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, wc.opcode(), () -> "connection " + wc);
            assertEquals(0x10000 + i, wc.immData(), "immediate of connection " + i + " (no cross-talk)");
            assertPattern(targets.get(i).segment(), 100 + i, "target of connection " + i);
            final MemoryRegion src = server.registerFilled(64, Access.LOCAL_WRITE, 200 + i);
            server.post(i, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
        }
        for (int i = 0; i < CONNECTIONS; i++)
        {
            final Wc sent = clients.get(i).awaitSendCompletion();
            assertEquals(WcStatus.SUCCESS, sent.status(), sent::toString);
            final Wc reply = clients.get(i).awaitRecvCompletion();
            assertEquals(WcStatus.SUCCESS, reply.status(), reply::toString);
            assertPattern(replies.get(i).segment(), 200 + i, "reply on connection " + i);
            assertNotNull(servers.get(i).awaitSendCompletion());
        }
    }
}
