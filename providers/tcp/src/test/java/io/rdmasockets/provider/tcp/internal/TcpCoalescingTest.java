package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Write coalescing and delayed ACKs: what a busy poller posts waits for its next poll of any queue and
 * goes out in one write; an ACK waits for an answer to carry it, but not forever.
 */
class TcpCoalescingTest
{
    private static final int MESSAGES = 16;

    @AfterEach
    void clearProperties()
    {
        System.clearProperty(TcpConfiguration.POLLER_GRACE_PROP_NAME);
        System.clearProperty(TcpConfiguration.ACK_DELAY_PROP_NAME);
    }

    /** A long grace: a scheduler hiccup in the test thread must not end its busy-poller status. */
    private static RcPair connect(final long pollerGraceUs) throws Exception
    {
        System.setProperty(TcpConfiguration.POLLER_GRACE_PROP_NAME, Long.toString(pollerGraceUs));
        return RcPair.connect(new TcpVerbsProvider(), InetAddress.getLoopbackAddress(),
            PairSpec.defaults().queueDepth(64, 64));
    }

    private static FrameWriter writer(final io.rdmasockets.testsuite.RcEndpoint side)
    {
        return ((TcpQueuePair)side.qp).connection().writer();
    }

    @Test
    void shouldWriteWhatABusyPollerPostsBetweenPollsInOneCall() throws Exception
    {
        try (RcPair pair = connect(10_000_000))
        {
            final MemoryRegion src = pair.client.registerFilled(MESSAGES * 64, Access.LOCAL_WRITE, 7);
            final MemoryRegion dst = pair.server.register(MESSAGES * 64, Access.LOCAL_WRITE);
            for (int i = 0; i < MESSAGES; i++)
            {
                pair.server.postReceive(i, dst, i * 64L, 64);
            }
            final FrameWriter writer = writer(pair.client);
            assertEquals(0, pair.client.sendCq.poll(pair.client.wc), "nothing to complete yet: now a busy poller");
            final long before = writer.writeCalls();
            for (int i = 0; i < MESSAGES; i++)
            {
                pair.client.post(i, WrOpcode.SEND, SendFlags.SIGNALED, src, i * 64L, 64, 0, 0, 0);
            }
            assertEquals(before, writer.writeCalls(), "posts between polls wait for the next poll");
            // On loopback that poll may already read the ACKs: keep what it returns.
            final List<Wc> sends = new ArrayList<>(Tests.pollUpTo(pair.client.sendCq, pair.client.wc, MESSAGES,
                Duration.ZERO));
            assertEquals(before + 1, writer.writeCalls(), "the poll writes all " + MESSAGES + " requests at once");
            sends.addAll(pair.client.awaitSendCompletions(MESSAGES - sends.size()));
            final List<Wc> receives = pair.server.awaitRecvCompletions(MESSAGES);
            for (int i = 0; i < MESSAGES; i++)
            {
                assertEquals(WcStatus.SUCCESS, sends.get(i).status());
                assertEquals(i, receives.get(i).wrId(), "in post order");
            }
            Tests.assertPattern(dst.segment(), 7, "payloads");
        }
    }

    @Test
    void shouldWriteDeferredRequestsWhenThePosterPollsAnotherQueue() throws Exception
    {
        try (RcPair pair = connect(10_000_000))
        {
            final MemoryRegion src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 3);
            final MemoryRegion dst = pair.server.register(64, Access.LOCAL_WRITE);
            pair.server.postReceive(1, dst, 0, 64);
            final FrameWriter writer = writer(pair.client);
            assertEquals(0, pair.client.sendCq.poll(pair.client.wc));
            final long before = writer.writeCalls();
            pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
            assertEquals(before, writer.writeCalls(), "deferred to the next poll");
            // Not the client's queue: the thread's own deferred writes still go first.
            final int n = pair.server.recvCq.poll(pair.server.wc);
            assertEquals(before + 1, writer.writeCalls(), "a poll of any queue writes the thread's deferred requests");
            assertEquals(1, 1 == n ? pair.server.wc.wrId(0) : pair.server.awaitRecvCompletion().wrId());
            Tests.assertPattern(dst.segment(), 3, "payload");
        }
    }

    @Test
    void shouldDeliverWhatABusyPollerPostedWhenItStopsWithoutArming() throws Exception
    {
        // A grace far longer than the test: the reactor must not wait for it to send what is stranded.
        try (RcPair pair = connect(60_000_000))
        {
            final MemoryRegion src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 5);
            final MemoryRegion dst = pair.server.register(64, Access.LOCAL_WRITE);
            pair.server.postReceive(1, dst, 0, 64);
            final FrameWriter writer = writer(pair.client);
            final AtomicLong writesAfterPost = new AtomicLong(-1);
            final AtomicLong writesBefore = new AtomicLong();
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            // The poster polls, posts and leaves: no later poll, no arm. The reactor must send it.
            final Thread poster = Thread.ofPlatform().name("poster").start(() ->
            {
                try
                {
                    pair.client.sendCq.poll(pair.client.wc);
                    writesBefore.set(writer.writeCalls());
                    pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
                    writesAfterPost.set(writer.writeCalls());
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            poster.join(10_000);
            assertNull(failure.get());
            assertEquals(writesBefore.get(), writesAfterPost.get(), "the post was deferred");
            assertEquals(1, pair.server.awaitRecvCompletion().wrId(), "the reactor sent it");
            Tests.assertPattern(dst.segment(), 5, "payload");
            assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
        }
    }

    @Test
    void shouldAcknowledgeWhenTheResponderKeepsPollingWithoutAnswering() throws Exception
    {
        try (RcPair pair = connect(10_000_000))
        {
            final MemoryRegion src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 1);
            final MemoryRegion dst = pair.server.register(64, Access.LOCAL_WRITE);
            final AtomicBoolean stop = new AtomicBoolean();
            final AtomicLong received = new AtomicLong();
            // The responder never sends, never arms: only the ack delay can acknowledge for it.
            final Thread responder = Thread.ofPlatform().name("responder").start(() ->
            {
                pair.server.postReceive(0, dst, 0, 64);
                while (!stop.get())
                {
                    final int n = pair.server.recvCq.poll(pair.server.wc);
                    for (int i = 0; i < n; i++)
                    {
                        received.incrementAndGet();
                        pair.server.postReceive(0, dst, 0, 64);
                    }
                    Thread.yield();
                }
            });
            try
            {
                for (int i = 0; i < 50; i++)
                {
                    pair.client.post(i, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
                    final Wc wc = pair.client.awaitSendCompletion();
                    assertEquals(WcStatus.SUCCESS, wc.status());
                    assertEquals(i, wc.wrId());
                }
                // An ACK says the message was placed, not that the responder has polled its completion yet.
                Tests.await(() -> 50 == received.get(), "the responder polls all 50 receive completions");
            }
            finally
            {
                stop.set(true);
                responder.join(10_000);
            }
            assertEquals(50, received.get());
            assertTrue(writer(pair.server).standaloneAcks() > 0, "acknowledged alone, after the ack delay");
        }
    }

    @Test
    void shouldCarryAcknowledgementsOnAnswersInPingPong() throws Exception
    {
        // An ack delay far longer than the test: every ACK must ride on an answer.
        System.setProperty(TcpConfiguration.ACK_DELAY_PROP_NAME, "60000000");
        final int rounds = 1_000;
        try (RcPair pair = connect(10_000_000))
        {
            final MemoryRegion clientMemory = pair.client.registerFilled(64, Access.LOCAL_WRITE, 2);
            final MemoryRegion serverMemory = pair.server.register(64, Access.LOCAL_WRITE);
            pair.server.postReceive(0, serverMemory, 0, 64);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread echo = Thread.ofPlatform().name("echo").start(() ->
            {
                try
                {
                    for (int i = 0; i < rounds; i++)
                    {
                        pair.server.awaitRecvCompletion();
                        pair.server.postReceive(i + 1, serverMemory, 0, 64);
                        pair.server.post(i, WrOpcode.SEND, 0, serverMemory, 0, 64, 0, 0, 0);
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            for (int i = 0; i < rounds; i++)
            {
                pair.client.postReceive(i, clientMemory, 0, 64);
                pair.client.post(i, WrOpcode.SEND, 0, clientMemory, 0, 64, 0, 0, 0);
                assertEquals(i, pair.client.awaitRecvCompletion().wrId());
            }
            echo.join(30_000);
            assertNull(failure.get());
            Tests.assertPattern(serverMemory.segment(), 2, "echoed payload");
            final long acks = writer(pair.client).standaloneAcks() + writer(pair.server).standaloneAcks();
            assertTrue(acks < 20, rounds + " round trips wrote " + acks + " ACKs alone");
        }
    }
}
