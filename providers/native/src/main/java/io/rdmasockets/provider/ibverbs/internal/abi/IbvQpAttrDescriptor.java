package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * {@code struct ibv_qp_attr}, for {@code ibv_modify_qp} (to ERR) and {@code ibv_query_qp} (the state),
 * with the {@code struct ibv_ah_attr} it embeds twice. Only {@code qp_state} is read or written; the
 * rest is described so that the size is checked.
 *
 * <pre>
 *   0 qp_state  4 cur_qp_state  8 path_mtu  12 path_mig_state  16 qkey  20 rq_psn  24 sq_psn
 *  28 dest_qp_num  32 qp_access_flags  36 cap (ibv_qp_cap, 20)
 *  56 ah_attr (ibv_ah_attr, 32)  88 alt_ah_attr (32)
 * 120 pkey_index  122 alt_pkey_index (u16)  124 en_sqd_async_notify .. 134 alt_timeout (u8 each)
 * 136 rate_limit (u32)  140 (padding to 144)
 *
 * ibv_ah_attr (32):  0 grh { 0 dgid (union ibv_gid, 16)  16 flow_label  20 sgid_index  21 hop_limit
 *                               22 traffic_class }  24 dlid (u16)  26 sl  27 src_path_bits  28 static_rate
 *                    29 is_global  30 port_num  31 (padding)
 * </pre>
 */
public final class IbvQpAttrDescriptor
{
    /** {@code union ibv_gid}. */
    public static final MemoryLayout GID = MemoryLayout.unionLayout(
        opaque("raw", 16),
        MemoryLayout.structLayout(
            U64.withName("subnet_prefix"),
            U64.withName("interface_id")).withName("global")).withName("ibv_gid");

    /** {@code struct ibv_global_route}. */
    public static final StructLayout GLOBAL_ROUTE = MemoryLayout.structLayout(
        GID.withName("dgid"),
        U32.withName("flow_label"),
        U8.withName("sgid_index"),
        U8.withName("hop_limit"),
        U8.withName("traffic_class"),
        MemoryLayout.paddingLayout(1)).withName("ibv_global_route");

    /** {@code struct ibv_ah_attr}. */
    public static final StructLayout AH_ATTR = MemoryLayout.structLayout(
        GLOBAL_ROUTE.withName("grh"),
        U16.withName("dlid"),
        U8.withName("sl"),
        U8.withName("src_path_bits"),
        U8.withName("static_rate"),
        U8.withName("is_global"),
        U8.withName("port_num"),
        MemoryLayout.paddingLayout(1)).withName("ibv_ah_attr");

    /** The layout, named as the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        INT.withName("qp_state"),
        INT.withName("cur_qp_state"),
        INT.withName("path_mtu"),
        INT.withName("path_mig_state"),
        U32.withName("qkey"),
        U32.withName("rq_psn"),
        U32.withName("sq_psn"),
        U32.withName("dest_qp_num"),
        U32.withName("qp_access_flags"),
        IbvQpInitAttrDescriptor.CAP_LAYOUT.withName("cap"),
        AH_ATTR.withName("ah_attr"),
        AH_ATTR.withName("alt_ah_attr"),
        U16.withName("pkey_index"),
        U16.withName("alt_pkey_index"),
        U8.withName("en_sqd_async_notify"),
        U8.withName("sq_draining"),
        U8.withName("max_rd_atomic"),
        U8.withName("max_dest_rd_atomic"),
        U8.withName("min_rnr_timer"),
        U8.withName("port_num"),
        U8.withName("timeout"),
        U8.withName("retry_cnt"),
        U8.withName("rnr_retry"),
        U8.withName("alt_port_num"),
        U8.withName("alt_timeout"),
        MemoryLayout.paddingLayout(1),
        U32.withName("rate_limit"),
        MemoryLayout.paddingLayout(4)).withName("ibv_qp_attr");

    public static final long QP_STATE = offset(LAYOUT, "qp_state");
    public static final long QP_ACCESS_FLAGS = offset(LAYOUT, "qp_access_flags");
    public static final long PKEY_INDEX = offset(LAYOUT, "pkey_index");
    public static final long PORT_NUM = offset(LAYOUT, "port_num");
    public static final long CAP_MAX_SEND_WR = offset(LAYOUT, "cap", "max_send_wr");
    public static final long CAP_MAX_RECV_WR = offset(LAYOUT, "cap", "max_recv_wr");
    public static final long CAP_MAX_SEND_SGE = offset(LAYOUT, "cap", "max_send_sge");
    public static final long CAP_MAX_RECV_SGE = offset(LAYOUT, "cap", "max_recv_sge");
    public static final long CAP_MAX_INLINE_DATA = offset(LAYOUT, "cap", "max_inline_data");

    /** {@code IBV_QP_STATE} of {@code enum ibv_qp_attr_mask}. */
    public static final int MASK_STATE = 1;
    /** {@code IBV_QP_ACCESS_FLAGS}. */
    public static final int MASK_ACCESS_FLAGS = 1 << 3;
    /** {@code IBV_QP_PKEY_INDEX}. */
    public static final int MASK_PKEY_INDEX = 1 << 4;
    /** {@code IBV_QP_PORT}. */
    public static final int MASK_PORT = 1 << 5;
    /** {@code IBV_QP_CAP}. */
    public static final int MASK_CAP = 1 << 19;

    private IbvQpAttrDescriptor()
    {
    }
}
