package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.testsuite.Tests.assertThrowsErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory registration and resource lifetimes: what {@code ProtectionDomain.registerMemory} accepts and
 * refuses, key quality, and the EBUSY rules of verbs for closing parents before children.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class MemoryRegistrationConformance extends AbstractVerbsTest
{
    private ProtectionDomain openPd() throws Exception
    {
        final VerbsContext ctx = openContext();
        return closeAfter(ctx.allocateProtectionDomain());
    }

    @Test
    public void shouldRegisterNativeMemoryWithGivenAddressLengthAndAccess() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        final MemorySegment segment = arena.allocate(8192, 4096);
        final int access = Access.LOCAL_WRITE | Access.REMOTE_WRITE | Access.REMOTE_READ;
        final MemoryRegion mr = pd.registerMemory(segment, access);
        try
        {
            assertEquals(segment.address(), mr.address(), "ibv_mr.addr is the segment's address");
            assertEquals(8192, mr.length());
            assertEquals(access, mr.access());
            assertTrue(mr.isOpen());
            assertEquals(pd, mr.protectionDomain());
        }
        finally
        {
            mr.close();
        }
        assertFalse(mr.isOpen(), "a closed region reports closed");
    }

    @Test
    public void shouldRejectHeapSegment() throws Exception
    {
        final ProtectionDomain pd = openPd();
        // The device cannot DMA into memory the GC moves.
        final MemorySegment heap = MemorySegment.ofArray(new byte[4096]);
        assertThrowsErrno(Errno.EINVAL, () -> pd.registerMemory(heap, Access.LOCAL_WRITE),
            "registerMemory(heap segment)");
    }

    @Test
    public void shouldRejectReadOnlySegment() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        assertThrowsErrno(Errno.EINVAL, () -> pd.registerMemory(arena.allocate(4096).asReadOnly(), Access.LOCAL_WRITE),
            "registerMemory(read-only segment)");
    }

    @Test
    public void shouldRejectEmptySegment() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        assertThrowsErrno(Errno.EINVAL, () -> pd.registerMemory(arena.allocate(16).asSlice(0, 0), Access.LOCAL_WRITE),
            "registerMemory(empty segment)");
    }

    @Test
    public void shouldRejectRemoteWriteWithoutLocalWrite() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        // Verbs rule: a region peers may write must be locally writable too.
        assertThrowsErrno(Errno.EINVAL, () -> pd.registerMemory(arena.allocate(4096), Access.REMOTE_WRITE),
            "registerMemory(REMOTE_WRITE without LOCAL_WRITE)");
        assertThrowsErrno(Errno.EINVAL, () -> pd.registerMemory(arena.allocate(4096), Access.REMOTE_ATOMIC),
            "registerMemory(REMOTE_ATOMIC without LOCAL_WRITE)");
    }

    @Test
    public void shouldRejectUnknownAccessFlags() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        assertThrowsErrno(Errno.EINVAL, () -> pd.registerMemory(arena.allocate(4096), Access.LOCAL_WRITE | 1 << 20),
            "registerMemory(unknown access bit)");
    }

    @Test
    public void shouldAcceptReadOnlyAccessWithoutLocalWrite() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        final MemoryRegion mr = closeAfter(pd.registerMemory(arena.allocate(4096), Access.REMOTE_READ));
        assertEquals(Access.REMOTE_READ, mr.access());
        final MemoryRegion none = closeAfter(pd.registerMemory(arena.allocate(4096), 0));
        assertEquals(0, none.access());
    }

    @Test
    public void shouldGiveDistinctNonSequentialRkeys() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        final List<MemoryRegion> regions = new ArrayList<>();
        onCleanup(() ->
        {
            for (final MemoryRegion mr : regions)
            {
                mr.close();
            }
        });
        for (int i = 0; i < 32; i++)
        {
            regions.add(pd.registerMemory(arena.allocate(64), Access.LOCAL_WRITE | Access.REMOTE_WRITE));
        }
        final Set<Integer> rkeys = new HashSet<>();
        final Set<Integer> lkeys = new HashSet<>();
        final Set<Integer> deltas = new HashSet<>();
        for (int i = 0; i < regions.size(); i++)
        {
            rkeys.add(regions.get(i).rkey());
            lkeys.add(regions.get(i).lkey());
            if (i > 0)
            {
                deltas.add(regions.get(i).rkey() - regions.get(i - 1).rkey());
            }
        }
        assertEquals(32, rkeys.size(), "rkeys of live regions are unique");
        assertEquals(32, lkeys.size(), "lkeys of live regions are unique");
        // Unguessable: a peer that knows one rkey must not derive the next by adding a constant.
        assertTrue(deltas.size() > 1, () -> "rkeys are an arithmetic sequence (step " + deltas + ")");
    }

    @Test
    public void shouldNotReuseRkeyOfReregisteredMemory() throws Exception
    {
        final ProtectionDomain pd = openPd();
        final Arena arena = closeAfter(Arena.ofShared());
        final MemorySegment segment = arena.allocate(4096);
        final int access = Access.LOCAL_WRITE | Access.REMOTE_WRITE;
        final MemoryRegion first = pd.registerMemory(segment, access);
        final int oldRkey = first.rkey();
        first.close();
        final MemoryRegion second = closeAfter(pd.registerMemory(segment, access));
        // A stale rkey held by a peer must not open the new registration.
        assertNotEquals(oldRkey, second.rkey(), "re-registration got the deregistered rkey back");
    }

    @Test
    public void shouldFailWithEbusyClosingPdWithLiveRegion() throws Exception
    {
        final VerbsContext ctx = openContext();
        final ProtectionDomain pd = ctx.allocateProtectionDomain();
        final Arena arena = closeAfter(Arena.ofShared());
        final MemoryRegion mr = pd.registerMemory(arena.allocate(4096), Access.LOCAL_WRITE);
        assertThrowsErrno(Errno.EBUSY, pd::close, "ProtectionDomain.close() with a live region");
        assertTrue(pd.isOpen(), "a PD whose close failed stays open");
        mr.close();
        pd.close();
        assertFalse(pd.isOpen());
    }

    @Test
    public void shouldFailWithEbusyClosingPdWithLiveQueuePair() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionQueue cq = closeAfter(ctx.createCompletionQueue(16, null, 0));
        final ProtectionDomain pd = ctx.allocateProtectionDomain();
        final QueuePair qp = pd.createQueuePair(QueuePairInitAttributes.rc(cq, 8, 8));
        assertEquals(QpState.RESET, qp.state(), "a new queue pair is in RESET");
        assertThrowsErrno(Errno.EBUSY, pd::close, "ProtectionDomain.close() with a live queue pair");
        assertThrowsErrno(Errno.EBUSY, cq::close, "CompletionQueue.close() with a live queue pair");
        qp.close();
        pd.close();
    }

    @Test
    public void shouldFailWithEbusyClosingContextWithLiveChildren() throws Exception
    {
        final VerbsContext ctx = provider().devices().getFirst().open();
        final ProtectionDomain pd = ctx.allocateProtectionDomain();
        assertThrowsErrno(Errno.EBUSY, ctx::close, "VerbsContext.close() with a live PD");
        pd.close();
        final CompletionQueue cq = ctx.createCompletionQueue(4, null, 0);
        assertThrowsErrno(Errno.EBUSY, ctx::close, "VerbsContext.close() with a live CQ");
        cq.close();
        ctx.close();
        assertFalse(ctx.isOpen());
    }

    @Test
    public void shouldRejectPostsOnQueuePairInReset() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionQueue cq = closeAfter(ctx.createCompletionQueue(16, null, 0));
        final ProtectionDomain pd = closeAfter(ctx.allocateProtectionDomain());
        final QueuePair qp = closeAfter(pd.createQueuePair(QueuePairInitAttributes.rc(cq, 8, 8)));
        final Arena arena = closeAfter(Arena.ofShared());
        final MemoryRegion mr = closeAfter(pd.registerMemory(arena.allocate(64), Access.LOCAL_WRITE));
        final SendWorkRequest wr = new SendWorkRequest()
            .opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED);
        wr.sgl().add(mr, 0, 64);
        Tests.assertErrno(Errno.EINVAL, qp.postSend(wr), "postSend in RESET");
        final ReceiveWorkRequest rwr = new ReceiveWorkRequest();
        rwr.sgl().add(mr, 0, 64);
        Tests.assertErrno(Errno.EINVAL, qp.postReceive(rwr), "postReceive in RESET");
    }

    @Test
    public void shouldFailWithLocalProtectionErrorAfterLocalDeregistration() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.register(4096, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
        // Registered outside the endpoint, which would close it a second time.
        final MemoryRegion source = pair.client.pd.registerMemory(pair.client.arena.allocate(4096), Access.LOCAL_WRITE);
        Tests.fill(source.segment(), 3);
        final int lkey = source.lkey();
        final long address = source.address();
        source.close();
        // The memory itself is still allocated (the arena lives): only the registration is gone.
        final SendWorkRequest wr = pair.client.sendWr().wrId(1).opcode(WrOpcode.RDMA_WRITE)
            .flags(SendFlags.SIGNALED).remote(target.address(), target.rkey());
        wr.sgl().add(address, 4096, lkey);
        pair.client.post(wr);
        final Wc wc = pair.client.awaitSendCompletion();
        assertLocalError(WcStatus.LOC_PROT_ERR, wc);
        assertEquals(1, wc.wrId());
        Tests.assertAllBytes(target.segment(), (byte)0, "target after write from deregistered memory");
    }

    @Test
    public void shouldFailWithRemoteAccessErrorAfterRemoteDeregistration() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion target = pair.server.pd.registerMemory(pair.server.arena.allocate(4096),
            Access.LOCAL_WRITE | Access.REMOTE_WRITE);
        final MemoryRegion source = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 4);
        final long remoteAddress = target.address();
        final int rkey = target.rkey();
        target.close();
        pair.client.post(1, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, source, 0, 4096, remoteAddress, rkey, 0);
        final Wc wc = pair.client.awaitSendCompletion();
        assertEquals(WcStatus.REM_ACCESS_ERR, wc.status(), () -> "write to a deregistered rkey: " + wc);
        Tests.assertAllBytes(target.segment(), (byte)0, "memory of the deregistered region");
        pair.client.awaitState(QpState.ERR);
    }
}
