package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.DeviceQuirk;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.PortAttributes;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.PortSpace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.assertThrowsErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Devices, contexts and queues: attributes and limits, the EBUSY rules for closing parents before
 * children, polling a closed queue, closing a queue that has unacknowledged events, and what a peer
 * sees when a queue pair is destroyed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class ResourceLifecycleConformance extends AbstractVerbsTest
{
    @Test
    public void shouldListDevicesOwnedByTheProvider() throws Exception
    {
        final List<VerbsDevice> devices = provider().devices();
        assertFalse(devices.isEmpty(), "an available provider lists a device");
        for (final VerbsDevice d : devices)
        {
            assertSame(provider(), d.provider(), () -> d.name() + " names its provider");
            assertFalse(d.name().isBlank());
            assertNotEquals(null, d.transportType());
        }
        final VerbsContext a = openContext();
        final VerbsContext b = openContext();
        assertTrue(a != b, "each open() returns a new context");
    }

    @Test
    public void shouldReportUsableDeviceAndPortAttributes() throws Exception
    {
        final VerbsContext ctx = openContext();
        final DeviceAttributes attr = ctx.queryDevice();
        assertTrue(attr.maxQp() > 64 && attr.maxQpWr() > 0 && attr.maxSge() > 0 && attr.maxCqe() > 0 &&
            attr.maxMrSize() > 0 && attr.maxMr() > 0 && attr.maxPd() > 0 && attr.maxCq() > 0, attr::toString);
        assertTrue(attr.physPortCount() >= 1, attr::toString);
        final PortAttributes port = ctx.queryPort(1);
        assertEquals(PortAttributes.PortState.ACTIVE, port.state(), port::toString);
        assertTrue(port.activeMtu() >= 256 && port.activeMtu() <= port.maxMtu(), port::toString);
        assertThrowsErrno(Errno.EINVAL, () -> ctx.queryPort(attr.physPortCount() + 1), "queryPort(beyond the last)");
        assertThrowsErrno(Errno.EINVAL, () -> ctx.queryPort(0), "queryPort(0)");
    }

    @Test
    public void shouldEnforceCompletionQueueSizeLimits() throws Exception
    {
        final VerbsContext ctx = openContext();
        final int maxCqe = ctx.queryDevice().maxCqe();
        final CompletionQueue cq = closeAfter(ctx.createCompletionQueue(100, null, 0));
        assertTrue(cq.capacity() >= 100, "capacity " + cq.capacity() + " for 100 asked");
        assertTrue(cq.isOpen());
        if (maxCqe < Integer.MAX_VALUE)
        {
            assertThrowsErrno(Errno.EINVAL, () -> ctx.createCompletionQueue(maxCqe + 1, null, 0),
                "createCompletionQueue(maxCqe + 1)");
        }
    }

    @Test
    public void shouldEnforceQueuePairSizeLimits() throws Exception
    {
        final VerbsContext ctx = openContext();
        final DeviceAttributes attr = ctx.queryDevice();
        final CompletionQueue cq = closeAfter(ctx.createCompletionQueue(64, null, 0));
        final ProtectionDomain pd = closeAfter(ctx.allocateProtectionDomain());
        if (attr.maxQpWr() < Integer.MAX_VALUE)
        {
            assertThrowsErrno(Errno.EINVAL, () -> pd.createQueuePair(QueuePairInitAttributes.rc(cq, attr.maxQpWr() + 1,
                8)), "createQueuePair(maxSendWr = maxQpWr + 1)");
        }
        if (attr.maxSge() < Integer.MAX_VALUE)
        {
            assertThrowsErrno(Errno.EINVAL, () -> pd.createQueuePair(QueuePairInitAttributes.rc(cq, 8, 8)
                .withMaxSendSge(attr.maxSge() + 1)), "createQueuePair(maxSendSge = maxSge + 1)");
        }
        final QueuePair qp = closeAfter(pd.createQueuePair(QueuePairInitAttributes.rc(cq, 8, 8)));
        assertEquals(QpType.RC, qp.type());
        assertSame(pd, qp.protectionDomain());
        assertSame(cq, qp.sendCompletionQueue());
        assertSame(cq, qp.receiveCompletionQueue());
    }

    @Test
    public void shouldFailWithEbusyClosingCompletionChannelWithLiveQueue() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = ctx.createCompletionChannel();
        final CompletionQueue cq = ctx.createCompletionQueue(8, channel, 0);
        assertSame(channel, cq.channel());
        assertThrowsErrno(Errno.EBUSY, channel::close, "CompletionChannel.close() with a live queue");
        cq.close();
        channel.close();
        assertFalse(channel.isOpen());
    }

    @Test
    public void shouldFailWithEbusyClosingCmEventChannelWithLiveId() throws Exception
    {
        final CmEventChannel channel = provider().connectionManager().createEventChannel();
        final CmId id = provider().connectionManager().createId(channel, PortSpace.TCP, "ctx");
        assertSame(channel, id.channel());
        assertEquals("ctx", id.context());
        assertEquals(PortSpace.TCP, id.portSpace());
        assertThrowsErrno(Errno.EBUSY, channel::close, "CmEventChannel.close() with a live id");
        id.close();
        assertFalse(id.isOpen());
        channel.close();
        assertFalse(channel.isOpen());
    }

    @Test
    public void shouldReturnNegativeErrnoPollingClosedQueue() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionQueue cq = ctx.createCompletionQueue(8, null, 0);
        final Arena arena = closeAfter(Arena.ofShared());
        final WorkCompletions wc = new WorkCompletions(4, arena);
        assertEquals(0, cq.poll(wc), "an empty queue polls 0");
        cq.close();
        assertFalse(cq.isOpen());
        final int rc = cq.poll(wc);
        assertEquals(-Errno.EBADF.code(), rc, "poll after close: " + rc);
    }

    @Test
    public void shouldFlushReceivePostedOnQueuePairMovedFromResetToError() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionQueue cq = closeAfter(ctx.createCompletionQueue(16, null, 0));
        final ProtectionDomain pd = closeAfter(ctx.allocateProtectionDomain());
        final QueuePair qp = closeAfter(pd.createQueuePair(QueuePairInitAttributes.rc(cq, 8, 8)));
        qp.modifyToError();
        assertEquals(QpState.ERR, qp.state());
        final Arena arena = closeAfter(Arena.ofShared());
        final WorkCompletions wc = new WorkCompletions(4, arena);
        assertEquals(0, qp.postReceive(new ReceiveWorkRequest().wrId(5)), "post in ERR is accepted");
        final List<Wc> wcs = Tests.pollExactly(cq, wc, 1, Tests.DEFAULT_TIMEOUT, "cq");
        assertEquals(WcStatus.WR_FLUSH_ERR, wcs.getFirst().status(), wcs::toString);
        assertEquals(5, wcs.getFirst().wrId());
        assertEquals(qp.qpNumber(), wcs.getFirst().qpNumber());
    }

    @Test
    public void shouldRefuseToCloseQueueWithUnacknowledgedEvents() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = closeAfter(ctx.createCompletionChannel());
        final CompletionQueue cq = ctx.createCompletionQueue(16, channel, 0);
        final ProtectionDomain pd = closeAfter(ctx.allocateProtectionDomain());
        final QueuePair qp = pd.createQueuePair(QueuePairInitAttributes.rc(cq, 8, 8));
        // A flush in ERR is a completion like any other: it fires the armed queue without a peer.
        qp.modifyToError();
        assertEquals(0, cq.requestNotify(false));
        assertEquals(0, qp.postReceive(new ReceiveWorkRequest().wrId(1)));
        assertSame(cq, channel.awaitEvent(5, TimeUnit.SECONDS), "the flush fires the armed queue");
        final Arena arena = closeAfter(Arena.ofShared());
        Tests.pollExactly(cq, new WorkCompletions(4, arena), 1, Tests.DEFAULT_TIMEOUT, "cq");
        qp.close();

        // libibverbs would block here forever; the SPI makes the forgotten acknowledgement an error.
        Tests.assertThrowsErrno(Errno.EBUSY, cq::close, "close with an unacknowledged event");
        assertTrue(cq.isOpen());
        cq.acknowledgeEvents(1);
        cq.close();
        assertFalse(cq.isOpen());
        cq.close();
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    public void shouldFailPeerRequestsWhenQueuePairIsDestroyed() throws Exception
    {
        // Where retry_count 7 means for ever, six retries still show the failure (in seconds: a retry waits
        // for the ack timeout, about a second on RoCE).
        final RcPair pair = quirks().contains(DeviceQuirk.RETRY_COUNT_7_IS_INFINITE) ?
            connectPair(PairSpec.defaults().retryCount(6)) : connectPair();
        final MemoryRegion src = pair.client.register(64, Access.LOCAL_WRITE);
        final MemoryRegion target = pair.server.register(64, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
        // Waits in RNR: nobody posted a receive.
        pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
        pair.server.qp.close();
        assertFalse(pair.server.qp.isOpen());
        final Wc wc = Tests.pollExactly(pair.client.sendCq, pair.client.wc, 1, Duration.ofSeconds(60), "client send CQ")
            .getFirst();
        assertNotEquals(WcStatus.SUCCESS, wc.status(), () -> "a send to a destroyed queue pair: " + wc);
        pair.client.awaitState(QpState.ERR);
        assertTrue(target.isOpen());
    }

    @Test
    public void shouldDeliverAfterReconnectOnFreshIds() throws Exception
    {
        // Connections are cheap and independent: a second pair after closing the first works the same.
        for (int round = 0; round < 3; round++)
        {
            try (RcPair pair = RcPair.connect(provider(), testAddress(), PairSpec.defaults()))
            {
                final MemoryRegion src = pair.client.registerFilled(128, Access.LOCAL_WRITE, round);
                final MemoryRegion dst = pair.server.register(128, Access.LOCAL_WRITE);
                pair.server.postReceive(round, dst, 0, 128);
                pair.client.post(round, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 128, 0, 0, 0);
                assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
                assertEquals(round, pair.server.awaitRecvCompletion().wrId());
                Tests.assertPattern(dst.segment(), round, "round " + round);
            }
        }
    }
}
