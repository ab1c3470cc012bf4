package io.rdmasockets.verbs;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Layout of one work completion: exactly {@code struct ibv_wc} of libibverbs on x86-64 / aarch64, so a
 * native provider polls straight into a {@link WorkCompletions} array and software providers write the
 * same bytes.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                      wr_id (u64, host order)                  |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 status (enum ibv_wc_status, u32)              |  8
 *  +---------------------------------------------------------------+
 *  |                 opcode (enum ibv_wc_opcode, u32)              | 12
 *  +---------------------------------------------------------------+
 *  |                        vendor_err (u32)                       | 16
 *  +---------------------------------------------------------------+
 *  |                         byte_len (u32)                        | 20
 *  +---------------------------------------------------------------+
 *  |        imm_data (__be32: BIG-ENDIAN in memory, as on the wire)| 24
 *  +---------------------------------------------------------------+
 *  |                          qp_num (u32)                         | 28
 *  +---------------------------------------------------------------+
 *  |                          src_qp (u32)                         | 32
 *  +---------------------------------------------------------------+
 *  |                     wc_flags (u32, IBV_WC_*)                  | 36
 *  +-------------------------------+-------------------------------+
 *  |        pkey_index (u16)       |           slid (u16)          | 40
 *  +---------------+---------------+-------------------------------+
 *  |    sl (u8)    |dlid_path_bits |        (padding to 48)        | 44
 *  +---------------+---------------+-------------------------------+
 * </pre>
 * All fields but {@code imm_data} are in host (native) order.
 */
public final class WorkCompletionDescriptor
{
    /** Offset of {@code wr_id}. */
    public static final int WR_ID_OFFSET = 0;
    /** Offset of {@code status}. */
    public static final int STATUS_OFFSET = 8;
    /** Offset of {@code opcode}. */
    public static final int OPCODE_OFFSET = 12;
    /** Offset of {@code vendor_err}. */
    public static final int VENDOR_ERR_OFFSET = 16;
    /** Offset of {@code byte_len}. */
    public static final int BYTE_LEN_OFFSET = 20;
    /** Offset of {@code imm_data} (big-endian). */
    public static final int IMM_DATA_OFFSET = 24;
    /** Offset of {@code qp_num}. */
    public static final int QP_NUM_OFFSET = 28;
    /** Offset of {@code src_qp}. */
    public static final int SRC_QP_OFFSET = 32;
    /** Offset of {@code wc_flags}. */
    public static final int WC_FLAGS_OFFSET = 36;
    /** Offset of {@code pkey_index}. */
    public static final int PKEY_INDEX_OFFSET = 40;
    /** Offset of {@code slid}. */
    public static final int SLID_OFFSET = 42;
    /** Offset of {@code sl}. */
    public static final int SL_OFFSET = 44;
    /** Offset of {@code dlid_path_bits}. */
    public static final int DLID_PATH_BITS_OFFSET = 45;
    /** {@code sizeof(struct ibv_wc)}. */
    public static final int LENGTH = 48;

    /** {@code IBV_WC_GRH}: a UD receive has a 40-byte GRH in front of the data. */
    public static final int WC_FLAG_GRH = 1;
    /** {@code IBV_WC_WITH_IMM}: {@code imm_data} is valid. */
    public static final int WC_FLAG_WITH_IMM = 1 << 1;

    /** The layout, for allocation and for checks against the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ValueLayout.JAVA_LONG.withName("wr_id"),
        ValueLayout.JAVA_INT.withName("status"),
        ValueLayout.JAVA_INT.withName("opcode"),
        ValueLayout.JAVA_INT.withName("vendor_err"),
        ValueLayout.JAVA_INT.withName("byte_len"),
        ValueLayout.JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN).withName("imm_data"),
        ValueLayout.JAVA_INT.withName("qp_num"),
        ValueLayout.JAVA_INT.withName("src_qp"),
        ValueLayout.JAVA_INT.withName("wc_flags"),
        ValueLayout.JAVA_SHORT.withName("pkey_index"),
        ValueLayout.JAVA_SHORT.withName("slid"),
        ValueLayout.JAVA_BYTE.withName("sl"),
        ValueLayout.JAVA_BYTE.withName("dlid_path_bits"),
        MemoryLayout.paddingLayout(2)).withName("ibv_wc");

    private WorkCompletionDescriptor()
    {
    }
}
