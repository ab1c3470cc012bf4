package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairCapabilities;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.ScatterGatherList;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WrOpcode;

import io.rdmasockets.provider.ibverbs.internal.abi.IbvQpAttrDescriptor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.rdmasockets.provider.ibverbs.internal.abi.IbvQpInitAttrDescriptor.*;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvResourceDescriptors.QP;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvResourceDescriptors.QP_NUM;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvResourceDescriptors.QP_STATE;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvWorkRequestDescriptors.*;

/**
 * A queue pair, {@code struct ibv_qp}. Each queue has one {@code ibv_send_wr}/{@code ibv_recv_wr} with its
 * {@code ibv_sge} array allocated with the queue pair; a post fills them from the SPI's request and calls
 * {@code ops.post_send}/{@code ops.post_recv}: nothing is allocated per post. The immediate is written
 * big-endian ({@code __be32}), the one and only byte swap between the SPI's logical value and the wire.
 *
 * <p>Checks the SPI makes that a device may not: posting in RESET, more entries than granted, an inline
 * payload beyond the granted size (EINVAL each). An {@link SendFlags#INLINE} payload is read by the CPU at
 * post time, so its entries must lie in live regions of this domain; one that does not is posted without
 * INLINE, and the device's lkey check completes it with {@code LOC_PROT_ERR} instead of Java reading an
 * arbitrary address.
 */
final class NativeQueuePair implements QueuePair
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final int KNOWN_FLAGS = SendFlags.FENCE | SendFlags.SIGNALED | SendFlags.SOLICITED | SendFlags.INLINE;
    private static final long SGE_SIZE = SGE.byteSize();
    private static final QpState[] STATES = QpState.values();

    private final NativeProtectionDomain pd;
    private final NativeCompletionQueue sendCq;
    private final NativeCompletionQueue recvCq;
    private final NativeCmId cmId;
    private final MemorySegment qp;
    private final int qpNumber;
    private final QueuePairCapabilities capabilities;
    private final Guard guard = new Guard();
    private final Arena arena = Arena.ofShared();

    private final MemorySegment postSendFn;
    private final MemorySegment sendWr;
    private final MemorySegment sendSges;
    private final MemorySegment badSend;
    private final MemorySegment postRecvFn;
    private final MemorySegment recvWr;
    private final MemorySegment recvSges;
    private final MemorySegment badRecv;
    /** The data path's pointers, passed to the downcalls as {@code long}s (see {@link VerbsOps}). */
    private final long qpAddress;
    private final long sendWrAddress;
    private final long badSendAddress;
    private final long recvWrAddress;
    private final long badRecvAddress;

    /** Guards the scratch of {@link #state()} and {@link #modifyToError()}. */
    private final Object scratchLock = new Object();
    /** Scratch of {@link #state()} and {@link #modifyToError()}, used under {@link #scratchLock}. */
    private final MemorySegment attr;
    private final MemorySegment initAttr;
    private final MemorySegment callState;
    private volatile QpState lastState;

    private NativeQueuePair(final NativeProtectionDomain pd, final NativeCompletionQueue sendCq,
        final NativeCompletionQueue recvCq, final NativeCmId cmId, final MemorySegment qp,
        final QueuePairCapabilities created)
    {
        this.pd = pd;
        this.sendCq = sendCq;
        this.recvCq = recvCq;
        this.cmId = cmId;
        this.qp = qp.reinterpret(QP.byteSize());
        this.qpNumber = this.qp.get(INT, QP_NUM);
        attr = arena.allocate(IbvQpAttrDescriptor.LAYOUT);
        initAttr = arena.allocate(LAYOUT);
        callState = arena.allocate(Ffm.CALL_STATE);
        this.capabilities = queryCapabilities(created);
        final MemorySegment context = pd.nativeContext().pointer();
        postSendFn = VerbsOps.postSendFunction(context);
        postRecvFn = VerbsOps.postRecvFunction(context);
        sendWr = arena.allocate(SEND_WR);
        sendSges = arena.allocate(SGE_SIZE * Math.max(1, capabilities.maxSendSge()), 8);
        badSend = arena.allocate(ValueLayout.ADDRESS);
        sendWr.set(ValueLayout.ADDRESS, SEND_NEXT, MemorySegment.NULL);
        sendWr.set(ValueLayout.ADDRESS, SEND_SG_LIST, sendSges);
        recvWr = arena.allocate(RECV_WR);
        recvSges = arena.allocate(SGE_SIZE * Math.max(1, capabilities.maxRecvSge()), 8);
        badRecv = arena.allocate(ValueLayout.ADDRESS);
        recvWr.set(ValueLayout.ADDRESS, RECV_NEXT, MemorySegment.NULL);
        recvWr.set(ValueLayout.ADDRESS, RECV_SG_LIST, recvSges);
        qpAddress = this.qp.address();
        sendWrAddress = sendWr.address();
        badSendAddress = badSend.address();
        recvWrAddress = recvWr.address();
        badRecvAddress = badRecv.address();
        lastState = stateOf(this.qp.get(INT, QP_STATE));
    }

    /**
     * What the queues really hold, as {@code ibv_query_qp} reports it: some devices round the queues up
     * (rxe to a power of two) without saying so in {@code ibv_create_qp}'s answer, and a post beyond the
     * reported depth must be refused, never taken.
     */
    private QueuePairCapabilities queryCapabilities(final QueuePairCapabilities created)
    {
        if (0 != Ibverbs.queryQp(callState, qp, attr, IbvQpAttrDescriptor.MASK_CAP, initAttr))
        {
            return created;
        }
        return new QueuePairCapabilities(attr.get(INT, IbvQpAttrDescriptor.CAP_MAX_SEND_WR),
            attr.get(INT, IbvQpAttrDescriptor.CAP_MAX_RECV_WR), attr.get(INT, IbvQpAttrDescriptor.CAP_MAX_SEND_SGE),
            attr.get(INT, IbvQpAttrDescriptor.CAP_MAX_RECV_SGE), attr.get(INT, IbvQpAttrDescriptor.CAP_MAX_INLINE_DATA));
    }

    /**
     * Creates a queue pair in {@code pd}: with {@code ibv_create_qp} (RESET), or through the id with
     * {@code rdma_create_qp} (INIT).
     *
     * @param pd         the domain.
     * @param attributes types and sizes.
     * @param cmId       the id to create it on, or {@code null}.
     * @return the queue pair.
     * @throws VerbsException EOPNOTSUPP for a type other than RC, EINVAL for queues of another context or
     *                        sizes beyond the device's limits.
     */
    static NativeQueuePair create(final NativeProtectionDomain pd, final QueuePairInitAttributes attributes,
        final NativeCmId cmId) throws VerbsException
    {
        if (QpType.RC != attributes.type())
        {
            throw new VerbsException(Errno.EOPNOTSUPP, "createQueuePair: the native provider creates RC queue pairs, " +
                "not " + attributes.type());
        }
        final NativeCompletionQueue scq = queueOf(attributes.sendCq(), pd);
        final NativeCompletionQueue rcq = queueOf(attributes.receiveCq(), pd);
        pd.children().add();
        try
        {
            scq.attach();
            try
            {
                rcq.attach();
            }
            catch (final VerbsException e)
            {
                scq.detach();
                throw e;
            }
        }
        catch (final VerbsException e)
        {
            pd.children().remove();
            throw e;
        }
        try (Arena scratch = Arena.ofConfined())
        {
            final MemorySegment init = scratch.allocate(LAYOUT);
            init.set(ValueLayout.ADDRESS, SEND_CQ, scq.pointer());
            init.set(ValueLayout.ADDRESS, RECV_CQ, rcq.pointer());
            init.set(INT, MAX_SEND_WR, attributes.maxSendWr());
            init.set(INT, MAX_RECV_WR, attributes.maxRecvWr());
            init.set(INT, MAX_SEND_SGE, attributes.maxSendSge());
            init.set(INT, MAX_RECV_SGE, attributes.maxRecvSge());
            init.set(INT, MAX_INLINE_DATA, attributes.maxInlineData());
            init.set(INT, QP_TYPE, attributes.type().code());
            init.set(INT, SQ_SIG_ALL, attributes.signalAll() ? 1 : 0);
            final MemorySegment qp = null == cmId ? Ibverbs.createQp(pd.pointer(), init) : cmId.createNativeQp(pd, init);
            // The granted sizes are written back into cap.
            final QueuePairCapabilities granted = new QueuePairCapabilities(init.get(INT, MAX_SEND_WR),
                init.get(INT, MAX_RECV_WR), init.get(INT, MAX_SEND_SGE), init.get(INT, MAX_RECV_SGE),
                init.get(INT, MAX_INLINE_DATA));
            try
            {
                return new NativeQueuePair(pd, scq, rcq, cmId, qp, granted);
            }
            catch (final RuntimeException | Error e)
            {
                NativeContext.destroyQuietly(() -> destroyNative(cmId, qp));
                throw e;
            }
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            rcq.detach();
            scq.detach();
            pd.children().remove();
            throw e;
        }
    }

    private static NativeCompletionQueue queueOf(final CompletionQueue cq, final NativeProtectionDomain pd)
        throws VerbsException
    {
        if (!(cq instanceof NativeCompletionQueue q) || q.nativeContext() != pd.nativeContext())
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: completion queue of another context: " + cq);
        }
        return q;
    }

    private static void destroyNative(final NativeCmId cmId, final MemorySegment qp) throws VerbsException
    {
        if (null == cmId)
        {
            Ibverbs.destroyQp(qp);
        }
        else
        {
            cmId.destroyNativeQp();
        }
    }

    @Override
    public int qpNumber()
    {
        return qpNumber;
    }

    @Override
    public QpType type()
    {
        return QpType.RC;
    }

    @Override
    public QpState state()
    {
        if (!guard.enter())
        {
            return lastState;
        }
        try
        {
            synchronized (scratchLock)
            {
                final int errno = Ibverbs.queryQp(callState, qp, attr,
                    IbvQpAttrDescriptor.MASK_STATE, initAttr);
                final int state = 0 == errno
                    ? attr.get(INT, IbvQpAttrDescriptor.QP_STATE)
                    : qp.get(INT, QP_STATE);
                lastState = stateOf(state);
                return lastState;
            }
        }
        finally
        {
            guard.exit();
        }
    }

    private static QpState stateOf(final int state)
    {
        return state >= 0 && state < STATES.length ? STATES[state] : QpState.ERR;
    }

    @Override
    public ProtectionDomain protectionDomain()
    {
        return pd;
    }

    @Override
    public CompletionQueue sendCompletionQueue()
    {
        return sendCq;
    }

    @Override
    public CompletionQueue receiveCompletionQueue()
    {
        return recvCq;
    }

    @Override
    public QueuePairCapabilities capabilities()
    {
        return capabilities;
    }

    @Override
    public int postSend(final SendWorkRequest wr)
    {
        final ScatterGatherList sgl = wr.sgl();
        final int n = sgl.count();
        int flags = wr.flags();
        final int opcode = wr.opcode();
        if (n > capabilities.maxSendSge() || 0 != (flags & ~KNOWN_FLAGS) || opcode < WrOpcode.RDMA_WRITE ||
            opcode > WrOpcode.RDMA_READ)
        {
            return Errno.EINVAL.code();
        }
        if (0 != (flags & SendFlags.INLINE))
        {
            if (sgl.totalLength() > capabilities.maxInlineData())
            {
                return Errno.EINVAL.code();
            }
            if (!pd.regions().covers(sgl))
            {
                flags &= ~SendFlags.INLINE;
            }
        }
        if (!guard.enter())
        {
            return Errno.EBADF.code();
        }
        try
        {
            if (QpState.RESET.code() == qp.get(INT, QP_STATE))
            {
                return Errno.EINVAL.code();
            }
            final MemorySegment w = sendWr;
            w.set(LONG, SEND_WR_ID, wr.wrId());
            w.set(INT, SEND_NUM_SGE, n);
            w.set(INT, SEND_OPCODE, opcode);
            w.set(INT, SEND_FLAGS, flags);
            w.set(BE_INT, SEND_IMM_DATA, wr.immData());
            w.set(LONG, SEND_REMOTE_ADDR, wr.remoteAddress());
            w.set(INT, SEND_RKEY, wr.rkey());
            fill(sendSges, sgl, n);
            final int rc = VerbsOps.postSend(postSendFn, qpAddress, sendWrAddress, badSendAddress);
            return rc >= 0 ? rc : Errno.EIO.code();
        }
        finally
        {
            guard.exit();
        }
    }

    @Override
    public int postReceive(final ReceiveWorkRequest wr)
    {
        final ScatterGatherList sgl = wr.sgl();
        final int n = sgl.count();
        if (n > capabilities.maxRecvSge())
        {
            return Errno.EINVAL.code();
        }
        if (!guard.enter())
        {
            return Errno.EBADF.code();
        }
        try
        {
            if (QpState.RESET.code() == qp.get(INT, QP_STATE))
            {
                return Errno.EINVAL.code();
            }
            final MemorySegment w = recvWr;
            w.set(LONG, RECV_WR_ID, wr.wrId());
            w.set(INT, RECV_NUM_SGE, n);
            fill(recvSges, sgl, n);
            final int rc = VerbsOps.postRecv(postRecvFn, qpAddress, recvWrAddress, badRecvAddress);
            if (0 == rc && QpState.ERR.code() == qp.get(INT, QP_STATE))
            {
                // Posted in ERR: it must complete with a flush. Devices that flush only on a state change
                // (rxe: receives ring no doorbell) are told once more.
                modifyLocked(QpState.ERR);
            }
            return rc >= 0 ? rc : Errno.EIO.code();
        }
        finally
        {
            guard.exit();
        }
    }

    private static void fill(final MemorySegment sges, final ScatterGatherList sgl, final int n)
    {
        for (int i = 0; i < n; i++)
        {
            final long at = i * SGE_SIZE;
            sges.set(LONG, at + SGE_ADDR, sgl.address(i));
            sges.set(INT, at + SGE_LENGTH, sgl.length(i));
            sges.set(INT, at + SGE_LKEY, sgl.lkey(i));
        }
    }

    @Override
    public void modifyToError() throws VerbsException
    {
        final int errno = toError();
        if (0 != errno)
        {
            throw Ffm.failure("ibv_modify_qp(" + qpNumber + ", IBV_QPS_ERR)", errno);
        }
    }

    /**
     * Moves the queue pair to ERR. Linux refuses RESET to ERR directly ({@code ib_modify_qp_is_ok} knows
     * only RESET to INIT), so a queue pair still in RESET goes through INIT (port 1, P_Key index 0, no
     * remote access: it is never used in INIT) first.
     *
     * @return 0, EBADF when destroyed, or the errno of {@code ibv_modify_qp}.
     */
    int toError()
    {
        if (!guard.enter())
        {
            return Errno.EBADF.code();
        }
        try
        {
            synchronized (scratchLock)
            {
                if (QpState.RESET.code() == qp.get(INT, QP_STATE))
                {
                    attr.fill((byte)0);
                    attr.set(INT, IbvQpAttrDescriptor.QP_STATE, QpState.INIT.code());
                    attr.set(ValueLayout.JAVA_BYTE, IbvQpAttrDescriptor.PORT_NUM, (byte)1);
                    final int errno = Ibverbs.modifyQp(callState, qp, attr, IbvQpAttrDescriptor.MASK_STATE |
                        IbvQpAttrDescriptor.MASK_PKEY_INDEX | IbvQpAttrDescriptor.MASK_PORT |
                        IbvQpAttrDescriptor.MASK_ACCESS_FLAGS);
                    if (0 != errno)
                    {
                        return errno;
                    }
                }
                final int errno = modifyLocked(QpState.ERR);
                if (0 == errno)
                {
                    lastState = QpState.ERR;
                }
                return errno;
            }
        }
        finally
        {
            guard.exit();
        }
    }

    /** {@code ibv_modify_qp} to a state, with only {@code IBV_QP_STATE}; inside the guard. @return 0 or the errno. */
    private int modifyLocked(final QpState state)
    {
        synchronized (scratchLock)
        {
            attr.fill((byte)0);
            attr.set(INT, IbvQpAttrDescriptor.QP_STATE, state.code());
            return Ibverbs.modifyQp(callState, qp, attr, IbvQpAttrDescriptor.MASK_STATE);
        }
    }

    @Override
    public boolean isOpen()
    {
        return guard.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        synchronized (this)
        {
            if (!guard.close())
            {
                return;
            }
            try
            {
                destroyNative(cmId, qp);
            }
            catch (final VerbsException | RuntimeException | Error e)
            {
                guard.reopen();
                throw e;
            }
        }
        arena.close();
        recvCq.detach();
        sendCq.detach();
        pd.children().remove();
    }

    @Override
    public String toString()
    {
        return "NativeQueuePair[" + qpNumber + ", " + lastState + "]";
    }
}
