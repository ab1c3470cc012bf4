package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.DeviceQuirk;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.assertPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Errors: flushing in ERR, remote access checks at the target (which must leave target memory
 * untouched and move both queue pairs to ERR), local protection and length errors.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class QueuePairErrorConformance extends AbstractVerbsTest
{
    static final int TARGET_SEED = 77;
    static final int LENGTH = 4096;

    private static void assertFlushed(final List<Wc> wcs, final long firstWrId, final String what)
    {
        for (int i = 0; i < wcs.size(); i++)
        {
            final Wc wc = wcs.get(i);
            assertEquals(WcStatus.WR_FLUSH_ERR, wc.status(), () -> what + ": " + wcs);
            assertEquals(firstWrId + i, wc.wrId(), () -> what + " flushed in post order: " + wcs);
        }
    }

    @Test
    public void shouldFlushOutstandingReceivesOnError() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion dst = pair.server.register(LENGTH, Access.LOCAL_WRITE);
        for (int i = 0; i < 5; i++)
        {
            pair.server.postReceive(10 + i, dst, 0, 64);
        }
        pair.server.qp.modifyToError();
        assertEquals(QpState.ERR, pair.server.qp.state());
        assertFlushed(pair.server.awaitRecvCompletions(5), 10, "outstanding receives");
        assertEquals(List.of(), pair.server.recvCompletionsWithin(Duration.ofMillis(200)), "no extra");
    }

    @Test
    public void shouldFlushOutstandingSendsIncludingUnsignaledOnError() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.register(64, Access.LOCAL_WRITE);
        // No receive at the peer: the sends stay outstanding.
        for (int i = 0; i < 5; i++)
        {
            pair.client.post(20 + i, WrOpcode.SEND, 0 == i % 2 ? SendFlags.SIGNALED : 0, src, 0, 64, 0, 0, 0);
        }
        pair.client.qp.modifyToError();
        // Errors always complete, signaled or not; a flush is an error.
        assertFlushed(pair.client.awaitSendCompletions(5), 20, "outstanding sends");
    }

    @Test
    public void shouldFlushRequestsPostedInError() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion mr = pair.client.register(64, Access.LOCAL_WRITE);
        pair.client.qp.modifyToError();
        pair.client.post(30, WrOpcode.SEND, SendFlags.SIGNALED, mr, 0, 64, 0, 0, 0);
        pair.client.post(31, WrOpcode.RDMA_WRITE, 0, mr, 0, 64, 0, 0, 0);
        pair.client.postReceive(32, mr, 0, 64);
        assertFlushed(pair.client.awaitSendCompletions(2), 30, "sends posted in ERR");
        assertFlushed(pair.client.awaitRecvCompletions(1), 32, "receive posted in ERR");
    }

    @Test
    public void shouldFailWriteWithBadRkeyAndLeaveTargetUntouched() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 1);
        final MemoryRegion recv = pair.server.register(64, Access.LOCAL_WRITE);
        pair.server.postReceive(40, recv, 0, 64);
        pair.client.post(41, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, LENGTH, target.address(),
            target.rkey() ^ 0x00A5_5A00, 0);

        assertRemoteAccessError(pair, 41, target);
        // The target's queue pair is in ERR too: its posted receive flushes.
        assertFlushed(pair.server.awaitRecvCompletions(1), 40, "target's receive after the access error");
    }

    @Test
    public void shouldFailWriteBeyondRegionEnd() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 2);
        // Starts inside, ends 1 byte outside: nothing may be written, not even the part inside.
        pair.client.post(50, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 101, target.address() + LENGTH - 100,
            target.rkey(), 0);
        assertRemoteAccessError(pair, 50, target);
    }

    @Test
    public void shouldFailWriteBeforeRegionStart() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 3);
        pair.client.post(51, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 64, target.address() - 8,
            target.rkey(), 0);
        assertRemoteAccessError(pair, 51, target);
    }

    @Test
    public void shouldFailWriteWithImmediateWithBadRkeyAndFlushTargetReceive() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 4);
        pair.server.postEmptyReceive(60);
        pair.client.post(61, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, 512, target.address(),
            target.rkey() + 1, 5);
        assertRemoteAccessError(pair, 61, target);
        final Wc wc = pair.server.awaitRecvCompletion();
        if (quirks().contains(DeviceQuirk.REFUSED_WRITE_IMM_COMPLETES_RECEIVE) && WcStatus.REM_ACCESS_ERR == wc.status())
        {
            // rxe consumes the receive with the error; the target memory was checked untouched above.
            return;
        }
        assertEquals(WcStatus.WR_FLUSH_ERR, wc.status(), () -> "the receive is flushed, not consumed: " + wc);
    }

    @Test
    public void shouldFailWriteWithoutRemoteWriteAccess() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_READ,
            TARGET_SEED);
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 5);
        pair.client.post(70, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, LENGTH, target.address(),
            target.rkey(), 0);
        assertRemoteAccessError(pair, 70, target);
    }

    @Test
    public void shouldFailReadWithoutRemoteReadAccess() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        final MemoryRegion dst = pair.client.register(LENGTH, Access.LOCAL_WRITE);
        pair.client.post(80, WrOpcode.RDMA_READ, SendFlags.SIGNALED, dst, 0, LENGTH, target.address(),
            target.rkey(), 0);
        assertRemoteAccessError(pair, 80, target);
    }

    @Test
    public void shouldFailReadWithBadRkey() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_READ,
            TARGET_SEED);
        final MemoryRegion dst = pair.client.register(LENGTH, Access.LOCAL_WRITE);
        pair.client.post(81, WrOpcode.RDMA_READ, SendFlags.SIGNALED, dst, 0, 64, target.address(),
            ~target.rkey(), 0);
        assertRemoteAccessError(pair, 81, target);
    }

    @Test
    public void shouldFlushRequestsQueuedBehindAFailedOne() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 6);
        pair.client.post(90, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 64, target.address(),
            target.rkey() ^ 1, 0);
        pair.client.post(91, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 64, target.address() + 64,
            target.rkey(), 0);
        pair.client.post(92, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 64, target.address() + 128,
            target.rkey(), 0);
        final List<Wc> wcs = pair.client.awaitSendCompletions(3);
        assertEquals(WcStatus.REM_ACCESS_ERR, wcs.get(0).status(), wcs::toString);
        assertFlushed(wcs.subList(1, 3), 91, "requests behind the failed write");
        assertPattern(target.segment(), TARGET_SEED, "target: later valid writes must not land after the error");
    }

    @Test
    public void shouldFailWithLocalProtectionErrorForBadLkey() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 7);
        final MemoryRegion dst = pair.server.register(LENGTH, Access.LOCAL_WRITE);
        pair.server.postReceive(1, dst, 0, LENGTH);
        final SendWorkRequest wr = pair.client.sendWr().wrId(100).opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED);
        wr.sgl().add(src.address(), 64, src.lkey() ^ 0x0F0F_0000);
        pair.client.post(wr);
        final Wc wc = pair.client.awaitSendCompletion();
        assertLocalError(WcStatus.LOC_PROT_ERR, wc);
        assertEquals(100, wc.wrId());
        pair.client.awaitState(QpState.ERR);
    }

    @Test
    public void shouldFailWithLocalProtectionErrorForRangeOutsideRegion() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 8);
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE,
            TARGET_SEED);
        pair.client.post(101, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, LENGTH - 10, 20, target.address(),
            target.rkey(), 0);
        final Wc wc = pair.client.awaitSendCompletion();
        assertLocalError(WcStatus.LOC_PROT_ERR, wc);
        pair.client.awaitState(QpState.ERR);
        assertPattern(target.segment(), TARGET_SEED, "target after a failed local gather");
    }

    @Test
    public void shouldFailWithLocalProtectionErrorWhenReadTargetIsNotLocallyWritable() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion remote = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_READ, 9);
        final MemoryRegion local = pair.client.registerFilled(LENGTH, 0, 10);
        // A read response is a local write: the scatter region needs LOCAL_WRITE.
        pair.client.post(102, WrOpcode.RDMA_READ, SendFlags.SIGNALED, local, 0, 64, remote.address(), remote.rkey(), 0);
        final Wc wc = pair.client.awaitSendCompletion();
        assertLocalError(WcStatus.LOC_PROT_ERR, wc);
        assertPattern(local.segment(), 10, "local memory without LOCAL_WRITE");
    }

    @Test
    public void shouldFailReadBeyondRemoteRegionEnd() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.registerFilled(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_READ,
            TARGET_SEED);
        final MemoryRegion dst = pair.client.register(LENGTH, Access.LOCAL_WRITE);
        pair.client.post(103, WrOpcode.RDMA_READ, SendFlags.SIGNALED, dst, 0, 64, target.address() + LENGTH - 32,
            target.rkey(), 0);
        assertRemoteAccessError(pair, 103, target);
    }

    @Test
    public void shouldFailWithLocalProtectionErrorAtReceiverForBadReceiveLkey() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 12);
        final MemoryRegion dst = pair.server.register(LENGTH, Access.LOCAL_WRITE);
        final ReceiveWorkRequest rwr = pair.server.recvWr().wrId(104);
        rwr.sgl().add(dst.address(), 64, dst.lkey() ^ 0x0F0F_0000);
        pair.server.postReceive(rwr);
        pair.client.post(105, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
        final Wc received = pair.server.awaitRecvCompletion();
        assertLocalError(WcStatus.LOC_PROT_ERR, received);
        assertEquals(104, received.wrId());
        pair.server.awaitState(QpState.ERR);
        Tests.assertAllBytes(dst.segment(), (byte)0, "receive memory named by a bad lkey's address");
        final Wc sent = pair.client.awaitSendCompletion();
        assertNotEquals(WcStatus.SUCCESS, sent.status(), () -> "the sender learns its send failed: " + sent);
    }

    @Test
    public void shouldFailWithLocalLengthErrorWhenReceiveIsTooSmall() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 11);
        final MemoryRegion dst = pair.server.register(LENGTH, Access.LOCAL_WRITE);
        pair.server.postReceive(110, dst, 0, 16);
        pair.client.post(111, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 100, 0, 0, 0);
        final Wc received = pair.server.awaitRecvCompletion();
        assertLocalError(WcStatus.LOC_LEN_ERR, received);
        assertEquals(110, received.wrId());
        pair.server.awaitState(QpState.ERR);
        final Wc sent = pair.client.awaitSendCompletion();
        assertNotEquals(WcStatus.SUCCESS, sent.status(), () -> "the sender learns its send failed: " + sent);
    }

    private static void assertRemoteAccessError(final RcPair pair, final long wrId, final MemoryRegion target)
    {
        final Wc wc = pair.client.awaitSendCompletion();
        assertEquals(WcStatus.REM_ACCESS_ERR, wc.status(), wc::toString);
        assertEquals(wrId, wc.wrId(), wc::toString);
        pair.client.awaitState(QpState.ERR);
        pair.server.awaitState(QpState.ERR);
        assertPattern(target.segment(), TARGET_SEED, "target memory after a refused access");
    }
}
