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
 */
final class VerbsOps
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle POST_SEND = Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, PTR, PTR, PTR));
    private static final MethodHandle POST_RECV = Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, PTR, PTR, PTR));
    private static final MethodHandle POLL_CQ = Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, PTR, INT, PTR));
    private static final MethodHandle REQ_NOTIFY_CQ = Ffm.LINKER.downcallHandle(FunctionDescriptor.of(INT, PTR, INT));

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

    /** @return 0, or an errno value (ENOMEM: queue full); {@code badWr} names the first request not posted. */
    static int postSend(final MemorySegment fn, final MemorySegment qp, final MemorySegment wr, final MemorySegment badWr)
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

    /** @return 0, or an errno value. */
    static int postRecv(final MemorySegment fn, final MemorySegment qp, final MemorySegment wr, final MemorySegment badWr)
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
    static int pollCq(final MemorySegment fn, final MemorySegment cq, final int max, final MemorySegment wc)
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
    static int reqNotifyCq(final MemorySegment fn, final MemorySegment cq, final boolean solicitedOnly)
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
