package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * {@code struct ibv_port_attr}, filled by {@code ibv_query_port} (4-byte aligned, 52 bytes).
 *
 * <pre>
 *  0 state   4 max_mtu   8 active_mtu   12 gid_tbl_len   (enums/ints)
 * 16 port_cap_flags   20 max_msg_sz   24 bad_pkey_cntr   28 qkey_viol_cntr
 * 32 pkey_tbl_len (u16)  34 lid (u16)  36 sm_lid (u16)
 * 38 lmc  39 max_vl_num  40 sm_sl  41 subnet_timeout  42 init_type_reply
 * 43 active_width  44 active_speed  45 phys_state  46 link_layer  47 flags  (u8 each)
 * 48 port_cap_flags2 (u16)  50 (padding to 52)
 * </pre>
 */
public final class IbvPortAttrDescriptor
{
    /** The layout, named as the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        INT.withName("state"),
        INT.withName("max_mtu"),
        INT.withName("active_mtu"),
        INT.withName("gid_tbl_len"),
        U32.withName("port_cap_flags"),
        U32.withName("max_msg_sz"),
        U32.withName("bad_pkey_cntr"),
        U32.withName("qkey_viol_cntr"),
        U16.withName("pkey_tbl_len"),
        U16.withName("lid"),
        U16.withName("sm_lid"),
        U8.withName("lmc"),
        U8.withName("max_vl_num"),
        U8.withName("sm_sl"),
        U8.withName("subnet_timeout"),
        U8.withName("init_type_reply"),
        U8.withName("active_width"),
        U8.withName("active_speed"),
        U8.withName("phys_state"),
        U8.withName("link_layer"),
        U8.withName("flags"),
        U16.withName("port_cap_flags2"),
        MemoryLayout.paddingLayout(2)).withName("ibv_port_attr");

    public static final long STATE = offset(LAYOUT, "state");
    public static final long MAX_MTU = offset(LAYOUT, "max_mtu");
    public static final long ACTIVE_MTU = offset(LAYOUT, "active_mtu");
    public static final long GID_TBL_LEN = offset(LAYOUT, "gid_tbl_len");
    public static final long MAX_MSG_SZ = offset(LAYOUT, "max_msg_sz");
    public static final long LID = offset(LAYOUT, "lid");
    public static final long LINK_LAYER = offset(LAYOUT, "link_layer");
    public static final long ACTIVE_WIDTH = offset(LAYOUT, "active_width");
    public static final long ACTIVE_SPEED = offset(LAYOUT, "active_speed");

    private IbvPortAttrDescriptor()
    {
    }
}
