package io.rdmasockets.rsocket.engine;

import io.rdmasockets.rsocket.protocol.IomapDescriptor;
import io.rdmasockets.rsocket.protocol.SgeDescriptor;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmId;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The verbs resources of one connected stream rsocket ({@code rs_create_ep}, {@code rs_init_bufs},
 * wire-protocol doc section 1.2): one completion channel and queue for both directions, an RC queue pair
 * that signals every send, and three registered buffers.
 *
 * <pre>
 *   sbuf          [ send ring: sbufSize ][ 4 control slots x 16 B ]        LOCAL_WRITE
 *   targetBuffer  [ target SGL: 2 x rs_sge ][ iomap table: n x rs_iomap ]   LOCAL_WRITE | REMOTE_WRITE
 *   rbuf          [ receive ring: half 0 | half 1 ]                         LOCAL_WRITE | REMOTE_WRITE
 * </pre>
 * The iomap table must follow the SGL array in the same region: the peer derives its address from the
 * SGL's (section 1.3).
 */
final class Endpoint implements AutoCloseable
{
    /** {@code RS_QP_MIN_SIZE}. */
    static final int QP_MIN_SIZE = 16;
    /** {@code RS_QP_MAX_SIZE}. */
    static final int QP_MAX_SIZE = 0xFFFE;
    /** {@code RS_QP_CTRL_SIZE}: outstanding control messages, and send-queue entries kept for them. */
    static final int QP_CTRL_SIZE = 4;
    /** {@code RS_MAX_CTRL_MSG}: bytes of one control slot (an rs_sge). */
    static final int CTRL_SLOT_LENGTH = SgeDescriptor.LENGTH;

    private static final long PAGE = 4096;
    private static final AtomicInteger OPEN = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();

    final Arena arena;
    final CompletionChannel channel;
    final CompletionQueue cq;
    final QueuePair qp;
    final MemorySegment sbuf;
    final MemorySegment targetBuffer;
    final MemorySegment rbuf;
    final MemoryRegion smr;
    final MemoryRegion targetMr;
    final MemoryRegion rmr;
    final int sqSize;
    final int rqSize;
    final int sqInline;
    final int sbufSize;

    private Endpoint(final Builder b)
    {
        arena = b.arena;
        channel = b.channel;
        cq = b.cq;
        qp = b.qp;
        sbuf = b.sbuf;
        targetBuffer = b.targetBuffer;
        rbuf = b.rbuf;
        smr = b.smr;
        targetMr = b.targetMr;
        rmr = b.rmr;
        sqSize = b.sqSize;
        rqSize = b.rqSize;
        sqInline = b.sqInline;
        sbufSize = b.sbufSize;
    }

    /**
     * Creates the resources on the id's device; on failure releases what was made.
     *
     * @param id        the connection id, bound to a device.
     * @param sqSize    requested send queue size (clamped as C clamps it).
     * @param rqSize    requested receive queue size (clamped; becomes the credits granted).
     * @param sqInline  requested inline bytes (the provider's grant wins).
     * @param sbufSize  send ring bytes.
     * @param rbufSize  receive ring bytes (even).
     * @param iomapSize iomap entries this side accepts from the peer.
     * @return the endpoint.
     * @throws VerbsException when a resource cannot be created.
     */
    static Endpoint create(final CmId id, final int sqSize, final int rqSize, final int sqInline,
        final int sbufSize, final int rbufSize, final int iomapSize) throws VerbsException
    {
        final Builder b = new Builder();
        b.arena = Arena.ofShared();
        try
        {
            final VerbsContext ctx = id.verbsContext();
            final int max = Math.min(ctx.queryDevice().maxQpWr(), QP_MAX_SIZE);
            b.sqSize = clamp(sqSize, max);
            b.rqSize = clamp(rqSize, max);
            b.sbufSize = sbufSize;
            b.channel = ctx.createCompletionChannel();
            b.cq = ctx.createCompletionQueue(b.sqSize + b.rqSize, b.channel, 0);
            final QueuePairInitAttributes attrs = new QueuePairInitAttributes(QpType.RC, b.cq, b.cq,
                b.sqSize, b.rqSize, 2, 1, sqInline, true);
            b.qp = id.createQueuePair(null, attrs);
            b.sqInline = b.qp.capabilities().maxInlineData();

            final ProtectionDomain pd = b.qp.protectionDomain();
            b.sbuf = b.arena.allocate(sbufSize + (long)CTRL_SLOT_LENGTH * QP_CTRL_SIZE, PAGE);
            b.smr = pd.registerMemory(b.sbuf, Access.LOCAL_WRITE);
            b.targetBuffer = b.arena.allocate(
                (long)SgeDescriptor.LENGTH * SgeDescriptor.SGL_SIZE + (long)IomapDescriptor.LENGTH * iomapSize, PAGE);
            b.targetMr = pd.registerMemory(b.targetBuffer, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            b.rbuf = b.arena.allocate(rbufSize, PAGE);
            b.rmr = pd.registerMemory(b.rbuf, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            OPEN.incrementAndGet();
            return new Endpoint(b);
        }
        catch (final VerbsException | RuntimeException e)
        {
            b.release();
            throw e;
        }
    }

    /** @return the target SGL array (the peer writes our receive-buffer targets into it). */
    MemorySegment targetSgl()
    {
        return targetBuffer.asSlice(0, (long)SgeDescriptor.LENGTH * SgeDescriptor.SGL_SIZE);
    }

    /**
     * @param slot a control slot index, any int.
     * @return the offset in {@link #sbuf} of control slot {@code slot & 3}.
     */
    long ctrlSlotOffset(final int slot)
    {
        return sbufSize + (long)CTRL_SLOT_LENGTH * (slot & (QP_CTRL_SIZE - 1));
    }

    /** Releases everything, once: the queue pair first, MRs before their memory, the queue before its channel. */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        OPEN.decrementAndGet();
        final Builder b = new Builder();
        b.arena = arena;
        b.channel = channel;
        b.cq = cq;
        b.qp = qp;
        b.smr = smr;
        b.targetMr = targetMr;
        b.rmr = rmr;
        b.release();
    }

    /** @return endpoints created and not yet closed in this process: native memory and verbs resources held. */
    static int open()
    {
        return OPEN.get();
    }

    private static int clamp(final int size, final int max)
    {
        return Math.max(QP_MIN_SIZE, Math.min(size, max));
    }

    /** Collects resources as they are made, so a failure half-way releases exactly those. */
    private static final class Builder
    {
        Arena arena;
        CompletionChannel channel;
        CompletionQueue cq;
        QueuePair qp;
        MemorySegment sbuf;
        MemorySegment targetBuffer;
        MemorySegment rbuf;
        MemoryRegion smr;
        MemoryRegion targetMr;
        MemoryRegion rmr;
        int sqSize;
        int rqSize;
        int sqInline;
        int sbufSize;

        void release()
        {
            quietly(qp);
            quietly(smr);
            quietly(targetMr);
            quietly(rmr);
            quietly(cq);
            quietly(channel);
            if (null != arena)
            {
                arena.close();
            }
        }

        private static void quietly(final AutoCloseable c)
        {
            if (null != c)
            {
                try
                {
                    c.close();
                }
                catch (final Exception ignored)
                {
                    // Teardown continues: every later resource must still be released.
                }
            }
        }
    }
}
