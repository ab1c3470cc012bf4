package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * {@code struct ibv_qp_init_attr} with its embedded {@code struct ibv_qp_cap}, as given to
 * {@code rdma_create_qp} (which also writes the granted capabilities back into {@code cap}).
 *
 * <pre>
 *  0 qp_context   8 send_cq   16 recv_cq   24 srq           (pointers)
 * 32 cap: 32 max_send_wr  36 max_recv_wr  40 max_send_sge  44 max_recv_sge  48 max_inline_data (u32)
 * 52 qp_type (enum)   56 sq_sig_all (int)   60 (padding to 64)
 * </pre>
 */
public final class IbvQpInitAttrDescriptor
{
    /** {@code struct ibv_qp_cap}. */
    public static final StructLayout CAP_LAYOUT = MemoryLayout.structLayout(
        U32.withName("max_send_wr"),
        U32.withName("max_recv_wr"),
        U32.withName("max_send_sge"),
        U32.withName("max_recv_sge"),
        U32.withName("max_inline_data")).withName("ibv_qp_cap");

    /** The layout, named as the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        POINTER.withName("qp_context"),
        POINTER.withName("send_cq"),
        POINTER.withName("recv_cq"),
        POINTER.withName("srq"),
        CAP_LAYOUT.withName("cap"),
        INT.withName("qp_type"),
        INT.withName("sq_sig_all"),
        MemoryLayout.paddingLayout(4)).withName("ibv_qp_init_attr");

    public static final long SEND_CQ = offset(LAYOUT, "send_cq");
    public static final long RECV_CQ = offset(LAYOUT, "recv_cq");
    public static final long MAX_SEND_WR = offset(LAYOUT, "cap", "max_send_wr");
    public static final long MAX_RECV_WR = offset(LAYOUT, "cap", "max_recv_wr");
    public static final long MAX_SEND_SGE = offset(LAYOUT, "cap", "max_send_sge");
    public static final long MAX_RECV_SGE = offset(LAYOUT, "cap", "max_recv_sge");
    public static final long MAX_INLINE_DATA = offset(LAYOUT, "cap", "max_inline_data");
    public static final long QP_TYPE = offset(LAYOUT, "qp_type");
    public static final long SQ_SIG_ALL = offset(LAYOUT, "sq_sig_all");

    private IbvQpInitAttrDescriptor()
    {
    }
}
