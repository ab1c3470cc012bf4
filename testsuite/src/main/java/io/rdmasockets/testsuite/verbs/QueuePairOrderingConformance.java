package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.assertPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * RC ordering: requests complete in post order per queue, payloads arrive in order, and the data of an
 * RDMA write (with or without immediate) is visible when a later receive on the same connection completes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class QueuePairOrderingConformance extends AbstractVerbsTest
{
    static final int COUNT = 5000;
    static final int RW = Access.LOCAL_WRITE | Access.REMOTE_WRITE | Access.REMOTE_READ;

    private static void assertSuccess(final Wc wc, final long wrId, final String what)
    {
        assertEquals(WcStatus.SUCCESS, wc.status(), () -> what + ": " + wc);
        assertEquals(wrId, wc.wrId(), () -> what + " out of order: " + wc);
    }

    @Test
    public void shouldCompleteThousandsOfSignaledWritesInPostOrder() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(COUNT * 64L, Access.LOCAL_WRITE, 1);
        final MemoryRegion dst = pair.server.register(COUNT * 64L, RW);
        long posted = 0;
        long completed = 0;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (completed < COUNT)
        {
            while (posted < COUNT && posted - completed < 200)
            {
                pair.client.post(posted, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, posted * 64, 64,
                    dst.address() + posted * 64, dst.rkey(), 0);
                posted++;
            }
            for (final Wc wc : Tests.pollUpTo(pair.client.sendCq, pair.client.wc, 64, Duration.ZERO))
            {
                assertSuccess(wc, completed, "write completion");
                assertEquals(WcOpcode.RDMA_WRITE, wc.opcode());
                completed++;
            }
            if (System.nanoTime() > deadlineNs)
            {
                fail("only " + completed + " of " + COUNT + " writes completed");
            }
        }
        assertPattern(dst.segment(), 1, "target after " + COUNT + " writes");
    }

    @Test
    public void shouldDeliverThousandsOfSendsInOrder() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().queueDepth(256, 256));
        final int depth = 128;
        final MemoryRegion src = pair.client.register(depth * 64L, Access.LOCAL_WRITE);
        final MemoryRegion dst = pair.server.register(depth * 64L, Access.LOCAL_WRITE);
        for (int i = 0; i < depth; i++)
        {
            pair.server.postReceive(i, dst, i * 64L, 64);
        }
        long posted = 0;
        long sendsCompleted = 0;
        long received = 0;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (received < COUNT || sendsCompleted < COUNT)
        {
            while (posted < COUNT && posted - sendsCompleted < depth)
            {
                final long slot = posted % depth;
                // Each message carries its sequence number, and a length that varies with it.
                src.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, slot * 64, posted);
                pair.client.post(posted, WrOpcode.SEND, SendFlags.SIGNALED, src, slot * 64, 8 + (int)(posted % 56), 0,
                    0, 0);
                posted++;
            }
            for (final Wc wc : Tests.pollUpTo(pair.client.sendCq, pair.client.wc, 64, Duration.ZERO))
            {
                assertSuccess(wc, sendsCompleted++, "send completion");
            }
            for (final Wc wc : Tests.pollUpTo(pair.server.recvCq, pair.server.wc, 64, Duration.ZERO))
            {
                final long slot = received % depth;
                assertSuccess(wc, slot, "receive completion " + received);
                assertEquals(8 + (int)(received % 56), wc.byteLength(), () -> "length of message: " + wc);
                assertEquals(received, dst.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, slot * 64),
                    "sequence number in message");
                received++;
                pair.server.postReceive(slot, dst, slot * 64, 64);
            }
            if (System.nanoTime() > deadlineNs)
            {
                fail("sent " + sendsCompleted + ", received " + received + " of " + COUNT);
            }
        }
    }

    @Test
    public void shouldMakeWriteWithImmediateDataVisibleWhenItsReceiveCompletes() throws Exception
    {
        final RcPair pair = connectPair();
        final int messages = 2000;
        final int length = 1024;
        final MemoryRegion src = pair.client.register((long)messages * length, Access.LOCAL_WRITE);
        final MemoryRegion dst = pair.server.register((long)messages * length, RW);
        for (int i = 0; i < messages; i++)
        {
            Tests.fill(src.segment().asSlice((long)i * length, length), i);
        }
        int posted = 0;
        int received = 0;
        int recvPosted = 0;
        // Send-queue entries free only when a later signaled send completes: the receiver being ahead says
        // nothing about the requester's acks, so bound the unreaped sends too (depth 256, every 32nd signaled).
        long sendsReaped = 0;
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (received < messages)
        {
            while (recvPosted < messages && recvPosted - received < 128)
            {
                pair.server.postEmptyReceive(recvPosted++);
            }
            while (posted < messages && posted - received < 64 && posted - sendsReaped < 192)
            {
                pair.client.post(posted, WrOpcode.RDMA_WRITE_WITH_IMM, 0 == (posted & 31) ? SendFlags.SIGNALED : 0,
                    src, (long)posted * length, length, dst.address() + (long)posted * length, dst.rkey(), posted);
                posted++;
            }
            for (final Wc wc : Tests.pollUpTo(pair.client.sendCq, pair.client.wc, 64, Duration.ZERO))
            {
                assertEquals(WcStatus.SUCCESS, wc.status(), wc::toString);
                sendsReaped = wc.wrId() + 1;
            }
            for (final Wc wc : Tests.pollUpTo(pair.server.recvCq, pair.server.wc, 64, Duration.ZERO))
            {
                assertSuccess(wc, received, "receive completion");
                assertEquals(received, wc.immData(), "immediates arrive in order");
                // Checked at once: the data must already be there.
                assertPattern(dst.segment().asSlice((long)received * length, length), received,
                    "data of write " + received + " when its receive completed");
                received++;
            }
            if (System.nanoTime() > deadlineNs)
            {
                fail("received " + received + " of " + messages);
            }
        }
    }

    @Test
    public void shouldMakePlainWriteVisibleBeforeLaterSendIsReceived() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.register(64 * 1024, Access.LOCAL_WRITE);
        final MemoryRegion dst = pair.server.register(64 * 1024, RW);
        final MemoryRegion recv = pair.server.register(64, Access.LOCAL_WRITE);
        for (int round = 0; round < 200; round++)
        {
            final int seed = round + 1000;
            Tests.fill(src.segment(), seed);
            pair.server.postReceive(round, recv, 0, 64);
            pair.client.post(1, WrOpcode.RDMA_WRITE, 0, src, 0, 64 * 1024, dst.address(), dst.rkey(), 0);
            pair.client.post(2, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 8, 0, 0, 0);
            pair.server.awaitRecvCompletion();
            assertPattern(dst.segment(), seed, "write data when the following send arrived, round " + round);
            pair.client.awaitSendCompletion();
        }
    }

    @Test
    public void shouldReadWhatAnEarlierWriteWrote() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.register(8192, Access.LOCAL_WRITE);
        final MemoryRegion back = pair.client.register(8192, Access.LOCAL_WRITE);
        final MemoryRegion remote = pair.server.register(8192, RW);
        for (int round = 0; round < 100; round++)
        {
            Tests.fill(src.segment(), round);
            pair.client.post(1, WrOpcode.RDMA_WRITE, 0, src, 0, 8192, remote.address(), remote.rkey(), 0);
            pair.client.post(2, WrOpcode.RDMA_READ, SendFlags.SIGNALED, back, 0, 8192, remote.address(),
                remote.rkey(), 0);
            assertSuccess(pair.client.awaitSendCompletion(), 2, "read");
            assertPattern(back.segment(), round, "read after write, round " + round);
        }
    }

    @Test
    public void shouldCompleteMoreOutstandingReadsThanReadDepthInOrder() throws Exception
    {
        final RcPair pair = connectPair();
        final int reads = 64;
        final MemoryRegion remote = pair.server.registerFilled(reads * 1024L, RW, 6);
        final MemoryRegion local = pair.client.register(reads * 1024L, Access.LOCAL_WRITE);
        // The connection allows 4 reads in flight; the rest must queue, not fail.
        for (int i = 0; i < reads; i++)
        {
            pair.client.post(i, WrOpcode.RDMA_READ, SendFlags.SIGNALED, local, i * 1024L, 1024,
                remote.address() + (reads - 1 - i) * 1024L, remote.rkey(), 0);
        }
        final List<Wc> wcs = pair.client.awaitSendCompletions(reads);
        for (int i = 0; i < reads; i++)
        {
            assertSuccess(wcs.get(i), i, "read completion");
            assertPattern(local.segment().asSlice(i * 1024L, 1024), 6, (reads - 1 - i) * 1024L, "read " + i);
        }
    }

    @Test
    public void shouldCompleteMixedOpcodesInPostOrderOnBothSides() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion local = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 3);
        final MemoryRegion remote = pair.server.registerFilled(4096, RW, 4);
        final MemoryRegion recv = pair.server.register(64 * 100, Access.LOCAL_WRITE);
        final int[] pattern = {WrOpcode.SEND, WrOpcode.RDMA_WRITE, WrOpcode.RDMA_READ, WrOpcode.RDMA_WRITE_WITH_IMM,
            WrOpcode.SEND_WITH_IMM, WrOpcode.RDMA_READ, WrOpcode.RDMA_WRITE};
        final int rounds = 30;
        int expectedReceives = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (final int opcode : pattern)
            {
                if (WrOpcode.SEND == opcode || WrOpcode.SEND_WITH_IMM == opcode ||
                    WrOpcode.RDMA_WRITE_WITH_IMM == opcode)
                {
                    pair.server.postReceive(expectedReceives, recv, (expectedReceives % 100) * 64L, 64);
                    expectedReceives++;
                }
            }
        }
        long wrId = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (final int opcode : pattern)
            {
                // Reads go to 2048.., writes to 0.., so they never overlap.
                final long localOffset = WrOpcode.RDMA_READ == opcode ? 2048 : 0;
                pair.client.post(wrId++, opcode, SendFlags.SIGNALED, local, localOffset, 64,
                    remote.address() + 1024, remote.rkey(), (int)wrId);
            }
        }
        final List<Wc> sends = pair.client.awaitSendCompletions(rounds * pattern.length);
        for (int i = 0; i < sends.size(); i++)
        {
            assertSuccess(sends.get(i), i, "mixed completion");
            final int opcode = pattern[i % pattern.length];
            final WcOpcode expected = switch (opcode)
            {
                case WrOpcode.RDMA_READ -> WcOpcode.RDMA_READ;
                case WrOpcode.SEND, WrOpcode.SEND_WITH_IMM -> WcOpcode.SEND;
                default -> WcOpcode.RDMA_WRITE;
            };
            assertEquals(expected, sends.get(i).opcode(), () -> "opcode of completion: " + sends);
        }
        final List<Wc> receives = pair.server.awaitRecvCompletions(expectedReceives);
        for (int i = 0; i < receives.size(); i++)
        {
            assertSuccess(receives.get(i), i, "receive");
            final WcOpcode expected = 1 == i % 3 ? WcOpcode.RECV_RDMA_WITH_IMM : WcOpcode.RECV;
            assertEquals(expected, receives.get(i).opcode(), () -> "receive opcodes follow the pattern: " + receives);
            assertEquals(0 != i % 3, receives.get(i).hasImmediate());
        }
    }

    @Test
    public void shouldStreamBothDirectionsAtOnce() throws Exception
    {
        final RcPair pair = connectPair();
        final int messages = 3000;
        // Own threads: both sides must run at once (the common pool may have a single worker).
        final ExecutorService threads = Executors.newFixedThreadPool(2);
        onCleanup(threads::shutdownNow);
        final Future<Long> client = threads.submit(() -> pingPong(pair.client, messages, 5));
        final Future<Long> server = threads.submit(() -> pingPong(pair.server, messages, 5));
        assertEquals(messages, client.get(50, TimeUnit.SECONDS), "client received");
        assertEquals(messages, server.get(50, TimeUnit.SECONDS), "server received");
    }

    @Test
    public void shouldPostSendsAndReceivesFromDifferentThreadsAtOnce() throws Exception
    {
        final RcPair pair = connectPair();
        final int messages = 4000;
        // Per side: one thread posts sends and polls the send queue, another posts receives and polls the
        // receive queue; the SPI allows postSend and postReceive on different threads at once.
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        onCleanup(threads::shutdownNow);
        final List<Future<Long>> results = new ArrayList<>();
        for (final RcEndpoint side : List.of(pair.client, pair.server))
        {
            final MemoryRegion src = side.registerFilled(64 * 64, Access.LOCAL_WRITE, 1);
            final MemoryRegion dst = side.register(64 * 64, Access.LOCAL_WRITE);
            results.add(threads.submit(() -> sender(side, src, messages)));
            results.add(threads.submit(() -> receiver(side, dst, messages)));
        }
        for (final Future<Long> f : results)
        {
            assertEquals(messages, f.get(50, TimeUnit.SECONDS));
        }
    }

    private static long sender(final RcEndpoint side, final MemoryRegion src, final int messages)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final WorkCompletions wc = new WorkCompletions(32, arena);
            final SendWorkRequest wr = new SendWorkRequest(1);
            long posted = 0;
            long completed = 0;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (completed < messages)
            {
                while (posted < messages && posted - completed < 64)
                {
                    wr.reset().wrId(posted).opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED).sgl()
                        .add(src, (posted % 64) * 64, 64);
                    assertEquals(0, side.qp.postSend(wr), side.name + " postSend");
                    posted++;
                }
                for (final Wc w : Tests.pollUpTo(side.sendCq, wc, 32, Duration.ZERO))
                {
                    assertSuccess(w, completed++, side.name + " send");
                }
                assertTrue(System.nanoTime() < deadlineNs, side.name + " sent only " + completed);
            }
            return completed;
        }
    }

    private static long receiver(final RcEndpoint side, final MemoryRegion dst, final int messages)
    {
        try (Arena arena = Arena.ofConfined())
        {
            final WorkCompletions wc = new WorkCompletions(32, arena);
            final ReceiveWorkRequest wr = new ReceiveWorkRequest(1);
            long posted = 0;
            long received = 0;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (received < messages)
            {
                while (posted < messages && posted - received < 64)
                {
                    wr.reset().wrId(posted).sgl().add(dst, (posted % 64) * 64, 64);
                    assertEquals(0, side.qp.postReceive(wr), side.name + " postReceive");
                    posted++;
                }
                for (final Wc w : Tests.pollUpTo(side.recvCq, wc, 32, Duration.ZERO))
                {
                    assertSuccess(w, received, side.name + " receive");
                    assertPattern(dst.segment().asSlice((received % 64) * 64, 64), 1, (received % 64) * 64,
                        side.name + " message " + received);
                    received++;
                }
                assertTrue(System.nanoTime() < deadlineNs, side.name + " received only " + received);
            }
            return received;
        }
    }

    /** Sends {@code messages} numbered SENDs while receiving as many; one thread drives one side. */
    private static long pingPong(final RcEndpoint side, final int messages, final int seed)
    {
        try
        {
            final int depth = 64;
            final MemoryRegion src = side.register(depth * 256L, Access.LOCAL_WRITE);
            final MemoryRegion dst = side.register(depth * 256L, Access.LOCAL_WRITE);
            for (int i = 0; i < depth; i++)
            {
                side.postReceive(i, dst, i * 256L, 256);
            }
            long posted = 0;
            long completed = 0;
            long received = 0;
            final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (received < messages || completed < messages)
            {
                while (posted < messages && posted - completed < depth)
                {
                    final long slot = posted % depth;
                    src.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, slot * 256, posted * seed);
                    side.post(posted, WrOpcode.SEND, SendFlags.SIGNALED, src, slot * 256, 256, 0, 0, 0);
                    posted++;
                }
                for (final Wc wc : Tests.pollUpTo(side.sendCq, side.wc, 64, Duration.ZERO))
                {
                    assertSuccess(wc, completed++, side.name + " send");
                }
                for (final Wc wc : Tests.pollUpTo(side.recvCq, side.wc, 64, Duration.ZERO))
                {
                    final long slot = received % depth;
                    assertSuccess(wc, slot, side.name + " receive");
                    assertEquals(received * seed, dst.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, slot * 256));
                    received++;
                    side.postReceive(slot, dst, slot * 256, 256);
                }
                if (System.nanoTime() > deadlineNs)
                {
                    fail(side.name + ": sent " + completed + ", received " + received);
                }
                Thread.onSpinWait();
            }
            return received;
        }
        catch (final VerbsException e)
        {
            throw new AssertionError(e);
        }
    }
}
