package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.nio.ByteOrder;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * The work-request structs of the data path: {@code ibv_sge}, {@code ibv_send_wr}, {@code ibv_recv_wr}.
 * {@code imm_data} is {@code __be32}: stored big-endian, exactly as it goes on the wire, so the SPI's
 * host-order immediate is swapped once, here, and never again.
 *
 * <pre>
 * ibv_sge (16):       0 addr (u64)   8 length (u32)   12 lkey (u32)
 *
 * ibv_send_wr (128):  0 wr_id (u64)   8 next   16 sg_list   24 num_sge (int)   28 opcode (enum)
 *                    32 send_flags (u32)   36 union { imm_data (__be32) | invalidate_rkey }
 *                    40 union wr { rdma { 40 remote_addr (u64)  48 rkey (u32) }
 *                                  | atomic { remote_addr, compare_add, swap, rkey } (32)
 *                                  | ud { ah, remote_qpn, remote_qkey } }
 *                    72 union qp_type { xrc { remote_srqn } }   76 (padding)
 *                    80 union { bind_mw { mw, rkey, bind_info { mr, addr, length, mw_access_flags } } (48)
 *                             | tso { hdr, hdr_sz, mss } }
 *
 * ibv_recv_wr (32):   0 wr_id (u64)   8 next   16 sg_list   24 num_sge (int)   28 (padding)
 * </pre>
 */
public final class IbvWorkRequestDescriptors
{
    /** {@code struct ibv_sge}. */
    public static final StructLayout SGE = MemoryLayout.structLayout(
        U64.withName("addr"),
        U32.withName("length"),
        U32.withName("lkey")).withName("ibv_sge");
    public static final long SGE_ADDR = offset(SGE, "addr");
    public static final long SGE_LENGTH = offset(SGE, "length");
    public static final long SGE_LKEY = offset(SGE, "lkey");

    private static final UnionLayout WR_UNION = MemoryLayout.unionLayout(
        MemoryLayout.structLayout(
            U64.withName("remote_addr"),
            U32.withName("rkey"),
            MemoryLayout.paddingLayout(4)).withName("rdma"),
        MemoryLayout.structLayout(
            U64.withName("remote_addr"),
            U64.withName("compare_add"),
            U64.withName("swap"),
            U32.withName("rkey"),
            MemoryLayout.paddingLayout(4)).withName("atomic"),
        MemoryLayout.structLayout(
            POINTER.withName("ah"),
            U32.withName("remote_qpn"),
            U32.withName("remote_qkey")).withName("ud"));

    private static final StructLayout BIND_INFO = MemoryLayout.structLayout(
        POINTER.withName("mr"),
        U64.withName("addr"),
        U64.withName("length"),
        U32.withName("mw_access_flags"),
        MemoryLayout.paddingLayout(4));

    /** {@code struct ibv_send_wr}. */
    public static final StructLayout SEND_WR = MemoryLayout.structLayout(
        U64.withName("wr_id"),
        POINTER.withName("next"),
        POINTER.withName("sg_list"),
        INT.withName("num_sge"),
        INT.withName("opcode"),
        U32.withName("send_flags"),
        MemoryLayout.unionLayout(
            U32.withOrder(ByteOrder.BIG_ENDIAN).withName("imm_data"),
            U32.withName("invalidate_rkey")).withName(Abi.ANONYMOUS + "imm"),
        WR_UNION.withName("wr"),
        MemoryLayout.unionLayout(
            MemoryLayout.structLayout(U32.withName("remote_srqn")).withName("xrc")).withName("qp_type"),
        MemoryLayout.paddingLayout(4),
        MemoryLayout.unionLayout(
            MemoryLayout.structLayout(
                POINTER.withName("mw"),
                U32.withName("rkey"),
                MemoryLayout.paddingLayout(4),
                BIND_INFO.withName("bind_info")).withName("bind_mw"),
            MemoryLayout.structLayout(
                POINTER.withName("hdr"),
                U16.withName("hdr_sz"),
                U16.withName("mss"),
                MemoryLayout.paddingLayout(4)).withName("tso")).withName(Abi.ANONYMOUS + "ext")).withName("ibv_send_wr");
    public static final long SEND_WR_ID = offset(SEND_WR, "wr_id");
    public static final long SEND_NEXT = offset(SEND_WR, "next");
    public static final long SEND_SG_LIST = offset(SEND_WR, "sg_list");
    public static final long SEND_NUM_SGE = offset(SEND_WR, "num_sge");
    public static final long SEND_OPCODE = offset(SEND_WR, "opcode");
    public static final long SEND_FLAGS = offset(SEND_WR, "send_flags");
    public static final long SEND_IMM_DATA = offset(SEND_WR, Abi.ANONYMOUS + "imm", "imm_data");
    public static final long SEND_REMOTE_ADDR = offset(SEND_WR, "wr", "rdma", "remote_addr");
    public static final long SEND_RKEY = offset(SEND_WR, "wr", "rdma", "rkey");

    /** {@code struct ibv_recv_wr}. */
    public static final StructLayout RECV_WR = MemoryLayout.structLayout(
        U64.withName("wr_id"),
        POINTER.withName("next"),
        POINTER.withName("sg_list"),
        INT.withName("num_sge"),
        MemoryLayout.paddingLayout(4)).withName("ibv_recv_wr");
    public static final long RECV_WR_ID = offset(RECV_WR, "wr_id");
    public static final long RECV_NEXT = offset(RECV_WR, "next");
    public static final long RECV_SG_LIST = offset(RECV_WR, "sg_list");
    public static final long RECV_NUM_SGE = offset(RECV_WR, "num_sge");

    private IbvWorkRequestDescriptors()
    {
    }
}
