package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.provider.ibverbs.internal.abi.IbvContextDescriptor;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The data-path verbs. {@code ibv_post_send}, {@code ibv_post_recv}, {@code ibv_poll_cq} and
 * {@code ibv_req_notify_cq} are static inline in verbs.h, jumping through {@code struct ibv_context.ops};
 * so do these calls: the function pointer is read once when a queue is created and passed as the
 * downcall's target. Nothing here allocates.
 *
 * <p>All four are ordinary downcalls, not {@link java.lang.foreign.Linker.Option#critical critical}
 * ones: {@code post_send} and {@code req_notify_cq} may enter the kernel (rxe rings its doorbell with a
 * system call and processes the send in it), and a provider may spin on a lock in any of them.
 *
 * <p>The queue, work-request and bad-request pointers travel as {@code long}s (a pointer and a 64-bit
 * integer share the same register class in the SysV and AAPCS64 calling conventions): they point into
 * memory the queue owns and frees only after its {@link Guard} drained the calls in flight, so the
 * linker's per-argument segment checks and session acquires buy nothing there, and they cost on every
 * post (32 ns against 18.5 ns a call on the build host under C1; under emulation every extra method called
 * costs more, see providers/native/README.md). The completion array stays a {@link MemorySegment}: it
 * belongs to the caller, whose arena may close during the call, and the linker keeps it alive.
 */
final class VerbsOps
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong OWNED_PTR = ValueLayout.JAVA_LONG;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle POST_SEND =
        Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, OWNED_PTR, OWNED_PTR, OWNED_PTR));
    private static final MethodHandle POST_RECV =
        Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, OWNED_PTR, OWNED_PTR, OWNED_PTR));
    private static final MethodHandle POLL_CQ = Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, OWNED_PTR, INT, PTR));
    private static final MethodHandle REQ_NOTIFY_CQ = Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, OWNED_PTR, INT));

    private VerbsOps()
    {
    }

    /** @return {@code context->ops.post_send}. */
    static MemorySegment postSendFunction(final MemorySegment context)
    {
        return function(context, IbvContextDescriptor.POST_SEND);
    }

    /** @return {@code context->ops.post_recv}. */
    static MemorySegment postRecvFunction(final MemorySegment context)
    {
        return function(context, IbvContextDescriptor.POST_RECV);
    }

    /** @return {@code context->ops.poll_cq}. */
    static MemorySegment pollCqFunction(final MemorySegment context)
    {
        return function(context, IbvContextDescriptor.POLL_CQ);
    }

    /** @return {@code context->ops.req_notify_cq}. */
    static MemorySegment reqNotifyCqFunction(final MemorySegment context)
    {
        return function(context, IbvContextDescriptor.REQ_NOTIFY_CQ);
    }

    private static MemorySegment function(final MemorySegment context, final long offset)
    {
        final MemorySegment fn = context.reinterpret(IbvContextDescriptor.LAYOUT.byteSize()).get(PTR, offset);
        if (MemorySegment.NULL.equals(fn))
        {
            throw new IllegalStateException("the verbs provider library leaves ibv_context.ops at " + offset + " empty");
        }
        return fn;
    }

    /**
     * @param fn    {@code ops.post_send}.
     * @param qp    the {@code struct ibv_qp *}.
     * @param wr    the first {@code struct ibv_send_wr *}, in memory the queue pair owns.
     * @param badWr where the provider stores the first request not posted, also the queue pair's.
     * @return 0, or an errno value (ENOMEM: queue full).
     */
    static int postSend(final MemorySegment fn, final long qp, final long wr, final long badWr)
    {
        try
        {
            return (int)POST_SEND.invokeExact(fn, qp, wr, badWr);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return 0, or an errno value; the arguments as {@link #postSend}'s, for {@code ops.post_recv}. */
    static int postRecv(final MemorySegment fn, final long qp, final long wr, final long badWr)
    {
        try
        {
            return (int)POST_RECV.invokeExact(fn, qp, wr, badWr);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return completions written into {@code wc}, or a negative value on failure. */
    static int pollCq(final MemorySegment fn, final long cq, final int max, final MemorySegment wc)
    {
        try
        {
            return (int)POLL_CQ.invokeExact(fn, cq, max, wc);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return 0, or an errno value. */
    static int reqNotifyCq(final MemorySegment fn, final long cq, final boolean solicitedOnly)
    {
        try
        {
            return (int)REQ_NOTIFY_CQ.invokeExact(fn, cq, solicitedOnly ? 1 : 0);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }
}
