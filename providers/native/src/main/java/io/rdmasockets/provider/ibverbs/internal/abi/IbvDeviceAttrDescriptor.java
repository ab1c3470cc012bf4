package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * {@code struct ibv_device_attr}, filled by {@code ibv_query_device}.
 *
 * <pre>
 *    0 fw_ver (char[64])                  164 atomic_cap (enum)
 *   64 node_guid (__be64)                 168 max_ee .. max_srq_sge (14 x int)
 *   72 sys_image_guid (__be64)            224 max_pkeys (u16)
 *   80 max_mr_size, 88 page_size_cap      226 local_ca_ack_delay (u8)
 *   96 vendor_id, vendor_part_id, hw_ver  227 phys_port_cnt (u8)
 *  108 max_qp .. max_ee_init_rd_atom      228 (padding to 232)
 *      (int/unsigned, 14 fields)
 * </pre>
 */
public final class IbvDeviceAttrDescriptor
{
    /** The layout, named as the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        opaque("fw_ver", 64),
        U64.withName("node_guid"),
        U64.withName("sys_image_guid"),
        U64.withName("max_mr_size"),
        U64.withName("page_size_cap"),
        U32.withName("vendor_id"),
        U32.withName("vendor_part_id"),
        U32.withName("hw_ver"),
        INT.withName("max_qp"),
        INT.withName("max_qp_wr"),
        U32.withName("device_cap_flags"),
        INT.withName("max_sge"),
        INT.withName("max_sge_rd"),
        INT.withName("max_cq"),
        INT.withName("max_cqe"),
        INT.withName("max_mr"),
        INT.withName("max_pd"),
        INT.withName("max_qp_rd_atom"),
        INT.withName("max_ee_rd_atom"),
        INT.withName("max_res_rd_atom"),
        INT.withName("max_qp_init_rd_atom"),
        INT.withName("max_ee_init_rd_atom"),
        INT.withName("atomic_cap"),
        INT.withName("max_ee"),
        INT.withName("max_rdd"),
        INT.withName("max_mw"),
        INT.withName("max_raw_ipv6_qp"),
        INT.withName("max_raw_ethy_qp"),
        INT.withName("max_mcast_grp"),
        INT.withName("max_mcast_qp_attach"),
        INT.withName("max_total_mcast_qp_attach"),
        INT.withName("max_ah"),
        INT.withName("max_fmr"),
        INT.withName("max_map_per_fmr"),
        INT.withName("max_srq"),
        INT.withName("max_srq_wr"),
        INT.withName("max_srq_sge"),
        U16.withName("max_pkeys"),
        U8.withName("local_ca_ack_delay"),
        U8.withName("phys_port_cnt"),
        MemoryLayout.paddingLayout(4)).withName("ibv_device_attr");

    public static final long FW_VER = offset(LAYOUT, "fw_ver");
    public static final int FW_VER_LENGTH = 64;
    public static final long NODE_GUID = offset(LAYOUT, "node_guid");
    public static final long MAX_MR_SIZE = offset(LAYOUT, "max_mr_size");
    public static final long VENDOR_ID = offset(LAYOUT, "vendor_id");
    public static final long VENDOR_PART_ID = offset(LAYOUT, "vendor_part_id");
    public static final long HW_VER = offset(LAYOUT, "hw_ver");
    public static final long MAX_QP = offset(LAYOUT, "max_qp");
    public static final long MAX_QP_WR = offset(LAYOUT, "max_qp_wr");
    public static final long MAX_SGE = offset(LAYOUT, "max_sge");
    public static final long MAX_CQ = offset(LAYOUT, "max_cq");
    public static final long MAX_CQE = offset(LAYOUT, "max_cqe");
    public static final long MAX_MR = offset(LAYOUT, "max_mr");
    public static final long MAX_PD = offset(LAYOUT, "max_pd");
    public static final long MAX_QP_RD_ATOM = offset(LAYOUT, "max_qp_rd_atom");
    public static final long MAX_QP_INIT_RD_ATOM = offset(LAYOUT, "max_qp_init_rd_atom");
    public static final long PHYS_PORT_CNT = offset(LAYOUT, "phys_port_cnt");

    private IbvDeviceAttrDescriptor()
    {
    }
}
