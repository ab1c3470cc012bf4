package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * The small resource structs the provider reads a field or two of: {@code ibv_comp_channel},
 * {@code ibv_pd}, {@code ibv_mr}, {@code ibv_cq}, {@code ibv_qp}.
 *
 * <pre>
 * ibv_comp_channel (16):  0 context   8 fd (int)   12 refcnt (int)
 * ibv_pd (16):            0 context   8 handle (u32)   12 (padding)
 * ibv_mr (48):            0 context   8 pd   16 addr   24 length (size_t)
 *                        32 handle   36 lkey   40 rkey (u32 each)   44 (padding)
 * ibv_cq (128):           0 context   8 channel   16 cq_context   24 handle (u32)   28 cqe (int)
 *                        32 mutex (40)   72 cond (48)   120 comp_events_completed   124 async_events_completed
 * ibv_qp (160):           0 context   8 qp_context   16 pd   24 send_cq   32 recv_cq   40 srq
 *                        48 handle   52 qp_num   56 state   60 qp_type
 *                        64 mutex (40)   104 cond (48)   152 events_completed   156 (padding)
 * </pre>
 */
public final class IbvResourceDescriptors
{
    /** {@code struct ibv_comp_channel}. */
    public static final StructLayout COMP_CHANNEL = MemoryLayout.structLayout(
        POINTER.withName("context"),
        INT.withName("fd"),
        INT.withName("refcnt")).withName("ibv_comp_channel");
    public static final long COMP_CHANNEL_FD = offset(COMP_CHANNEL, "fd");

    /** {@code struct ibv_pd}. */
    public static final StructLayout PD = MemoryLayout.structLayout(
        POINTER.withName("context"),
        U32.withName("handle"),
        MemoryLayout.paddingLayout(4)).withName("ibv_pd");

    /** {@code struct ibv_mr}. */
    public static final StructLayout MR = MemoryLayout.structLayout(
        POINTER.withName("context"),
        POINTER.withName("pd"),
        POINTER.withName("addr"),
        U64.withName("length"),
        U32.withName("handle"),
        U32.withName("lkey"),
        U32.withName("rkey"),
        MemoryLayout.paddingLayout(4)).withName("ibv_mr");
    public static final long MR_LKEY = offset(MR, "lkey");
    public static final long MR_RKEY = offset(MR, "rkey");

    /** {@code struct ibv_cq}. */
    public static final StructLayout CQ = MemoryLayout.structLayout(
        POINTER.withName("context"),
        POINTER.withName("channel"),
        POINTER.withName("cq_context"),
        U32.withName("handle"),
        INT.withName("cqe"),
        opaque("mutex", PTHREAD_MUTEX_SIZE),
        opaque("cond", PTHREAD_COND_SIZE),
        U32.withName("comp_events_completed"),
        U32.withName("async_events_completed")).withName("ibv_cq");
    public static final long CQ_CONTEXT = offset(CQ, "context");
    public static final long CQ_CQE = offset(CQ, "cqe");

    /** {@code struct ibv_qp}. */
    public static final StructLayout QP = MemoryLayout.structLayout(
        POINTER.withName("context"),
        POINTER.withName("qp_context"),
        POINTER.withName("pd"),
        POINTER.withName("send_cq"),
        POINTER.withName("recv_cq"),
        POINTER.withName("srq"),
        U32.withName("handle"),
        U32.withName("qp_num"),
        INT.withName("state"),
        INT.withName("qp_type"),
        opaque("mutex", PTHREAD_MUTEX_SIZE),
        opaque("cond", PTHREAD_COND_SIZE),
        U32.withName("events_completed"),
        MemoryLayout.paddingLayout(4)).withName("ibv_qp");
    public static final long QP_CONTEXT = offset(QP, "context");
    public static final long QP_NUM = offset(QP, "qp_num");
    public static final long QP_STATE = offset(QP, "state");

    private IbvResourceDescriptors()
    {
    }
}
