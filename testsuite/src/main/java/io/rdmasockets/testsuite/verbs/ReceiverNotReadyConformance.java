package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.assertPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Receiver-not-ready: a SEND or WRITE_WITH_IMM that finds no receive waits (forever with RNR retry 7,
 * which rsocket relies on) and is never dropped; queue limits answer ENOMEM.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ReceiverNotReadyConformance extends AbstractVerbsTest
{
    static final Duration QUIET = Duration.ofMillis(300);

    @Test
    public void shouldHoldSendUntilReceiveIsPosted() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(512, Access.LOCAL_WRITE, 1);
        final MemoryRegion dst = pair.server.register(512, Access.LOCAL_WRITE);
        pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 512, 0, 0, 0);

        assertEquals(List.of(), pair.client.sendCompletionsWithin(QUIET), "a send cannot complete before delivery");
        pair.server.postReceive(2, dst, 0, 512);
        final Wc sent = pair.client.awaitSendCompletion();
        assertEquals(WcStatus.SUCCESS, sent.status(), sent::toString);
        final Wc received = pair.server.awaitRecvCompletion();
        assertEquals(WcStatus.SUCCESS, received.status(), received::toString);
        assertEquals(512, received.byteLength());
        assertPattern(dst.segment(), 1, "payload delivered after the late receive");
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    public void shouldHoldSendForSecondsWithInfiniteRnrRetry() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 2);
        final MemoryRegion dst = pair.server.register(64, Access.LOCAL_WRITE);
        pair.client.post(1, WrOpcode.SEND_WITH_IMM, SendFlags.SIGNALED, src, 0, 64, 0, 0, 99);

        // Longer than any finite RNR schedule of real hardware (7 x 655 ms would be 4.6 s; 3 s is enough here).
        assertEquals(List.of(), pair.client.sendCompletionsWithin(Duration.ofSeconds(3)), "still waiting");
        assertEquals(List.of(), pair.server.recvCompletionsWithin(Duration.ZERO), "nothing received yet");
        pair.server.postReceive(2, dst, 0, 64);
        assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
        final Wc received = pair.server.awaitRecvCompletion();
        assertEquals(WcStatus.SUCCESS, received.status(), received::toString);
        assertEquals(99, received.immData());
        assertPattern(dst.segment(), 2, "payload");
    }

    @Test
    public void shouldHoldWriteWithImmediateUntilReceiveIsPosted() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 3);
        final MemoryRegion dst = pair.server.register(4096, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
        pair.client.post(1, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, 4096, dst.address(),
            dst.rkey(), 7);

        assertEquals(List.of(), pair.client.sendCompletionsWithin(QUIET), "waits for a receive");
        pair.server.postEmptyReceive(5);
        assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
        final Wc received = pair.server.awaitRecvCompletion();
        assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, received.opcode(), received::toString);
        assertEquals(7, received.immData());
        assertPattern(dst.segment(), 3, "data of the late write");
    }

    @Test
    public void shouldDeliverQueuedSendsInOrderAsReceivesTrickleIn() throws Exception
    {
        final RcPair pair = connectPair();
        final int count = 50;
        final MemoryRegion src = pair.client.register(count * 8L, Access.LOCAL_WRITE);
        final MemoryRegion dst = pair.server.register(count * 8L, Access.LOCAL_WRITE);
        for (int i = 0; i < count; i++)
        {
            src.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, i * 8L, 1000L + i);
            pair.client.post(i, WrOpcode.SEND, SendFlags.SIGNALED, src, i * 8L, 8, 0, 0, 0);
        }
        for (int i = 0; i < count; i++)
        {
            if (0 == i % 10)
            {
                Thread.sleep(20);
            }
            pair.server.postReceive(i, dst, i * 8L, 8);
        }
        final List<Wc> received = pair.server.awaitRecvCompletions(count);
        final List<Wc> sent = pair.client.awaitSendCompletions(count);
        for (int i = 0; i < count; i++)
        {
            assertEquals(i, received.get(i).wrId(), "receive order");
            assertEquals(i, sent.get(i).wrId(), "send order");
            assertEquals(1000L + i, dst.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, i * 8L), "message " + i);
        }
    }

    @Test
    public void shouldRefuseSendBeyondSendQueueDepthWithEnomem() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().queueDepth(16, 16));
        final int granted = pair.client.qp.capabilities().maxSendWr();
        final MemoryRegion src = pair.client.register(8, Access.LOCAL_WRITE);
        final MemoryRegion dst = pair.server.register(8, Access.LOCAL_WRITE);
        // No receives: every send stays outstanding in RNR wait, so the queue fills.
        final SendWorkRequest wr = pair.client.sendWr().opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED);
        wr.sgl().add(src, 0, 8);
        int accepted = 0;
        int rc;
        while (0 == (rc = pair.client.qp.postSend(wr.wrId(accepted))))
        {
            accepted++;
            assertTrue(accepted <= granted, "accepted more sends than the granted " + granted);
        }
        assertEquals(Errno.ENOMEM.code(), rc, "full send queue answered " + Errno.nameOf(rc));
        assertTrue(accepted >= 16, "accepted " + accepted + " of the requested 16");
        for (int i = 0; i < accepted; i++)
        {
            pair.server.postReceive(i, dst, 0, 8);
            final Wc wc = pair.client.awaitSendCompletion();
            assertEquals(WcStatus.SUCCESS, wc.status(), wc::toString);
        }
        // Slots are free again once completions are polled.
        pair.server.postReceive(99, dst, 0, 8);
        pair.client.post(wr.wrId(99));
        assertEquals(99, pair.client.awaitSendCompletion().wrId());
    }

    @Test
    public void shouldRefuseReceiveBeyondReceiveQueueDepthWithEnomem() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().queueDepth(16, 16));
        final int granted = pair.server.qp.capabilities().maxRecvWr();
        final MemoryRegion dst = pair.server.register(8, Access.LOCAL_WRITE);
        final ReceiveWorkRequest wr = pair.server.recvWr();
        wr.sgl().add(dst, 0, 8);
        int accepted = 0;
        int rc;
        while (0 == (rc = pair.server.qp.postReceive(wr.wrId(accepted))))
        {
            accepted++;
            assertTrue(accepted <= granted, "accepted more receives than the granted " + granted);
        }
        assertEquals(Errno.ENOMEM.code(), rc, "full receive queue answered " + Errno.nameOf(rc));
        assertTrue(accepted >= 16, "accepted " + accepted + " of the requested 16");
    }

    @Test
    public void shouldFailWithRnrRetryExceededWhenRetriesAreFinite() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().rnrRetryCount(0));
        final MemoryRegion src = pair.client.register(8, Access.LOCAL_WRITE);
        pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 8, 0, 0, 0);
        final Wc wc = pair.client.awaitSendCompletion();
        assertNotEquals(WcStatus.SUCCESS, wc.status(), "nobody posted a receive");
        assertEquals(WcStatus.RNR_RETRY_EXC_ERR, wc.status(), wc::toString);
        pair.client.awaitState(QpState.ERR);
    }
}
