package io.rdmasockets.rsocket.protocol;

/**
 * {@code struct rs_conn_data}: the 40 bytes of connection private data each side sends, in the connect
 * request and in the accept (wire-protocol doc section 1.3). Multi-byte fields are big-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------+---------------+-------------------------------+
 *  |  version = 1  |     flags     |      credits (be16, rq_size)  |  0
 *  +---------------+---------------+---------------+---------------+
 *  |             reserved[3] = 0                   |iomap size(enc)|  4
 *  +-----------------------------------------------+---------------+
 *  |                target_sgl.addr (be64): my target SGL array    |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                target_sgl.key (be32): its rkey                | 16
 *  +---------------------------------------------------------------+
 *  |                target_sgl.length (be32) = 2 entries           | 20
 *  +---------------------------------------------------------------+
 *  |                data_buf.addr (be64): my receive ring          | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                data_buf.key (be32): its rkey                  | 32
 *  +---------------------------------------------------------------+
 *  |                data_buf.length (be32) = ring size / 2         | 36
 *  +---------------------------------------------------------------+
 *   flags: bit 0 RS_CONN_FLAG_NET   the sender's SGL/iomap memory is big-endian
 *          bit 1 RS_CONN_FLAG_IOMAP the sender understands iomaps (always set since librdmacm 1.0.17)
 * </pre>
 * An AF_IB connect request carries a 36-byte {@code ib_connect_hdr} in front
 * ({@link #AF_IB_PREFIX_LENGTH}); the accept never does.
 */
public final class ConnDataDescriptor
{
    /** Offset of {@code version}. */
    public static final int VERSION_OFFSET = 0;
    /** Offset of {@code flags}. */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of {@code credits}. */
    public static final int CREDITS_OFFSET = 2;
    /** Offset of {@code reserved[3]}. */
    public static final int RESERVED_OFFSET = 4;
    /** Offset of {@code target_iomap_size}. */
    public static final int TARGET_IOMAP_SIZE_OFFSET = 7;
    /** Offset of the {@code target_sgl} SGE. */
    public static final int TARGET_SGL_OFFSET = 8;
    /** Offset of the {@code data_buf} SGE. */
    public static final int DATA_BUF_OFFSET = 24;
    /** {@code sizeof(struct rs_conn_data)}. */
    public static final int LENGTH = 40;

    /** The only protocol version librdmacm has ever used. */
    public static final int VERSION = 1;
    /** {@code RS_CONN_FLAG_NET}. */
    public static final int FLAG_NET = 1;
    /** {@code RS_CONN_FLAG_IOMAP}. */
    public static final int FLAG_IOMAP = 1 << 1;
    /** {@code sizeof(struct ib_connect_hdr)}, in front of an AF_IB connect request. */
    public static final int AF_IB_PREFIX_LENGTH = 36;

    private static final int SCALE_BITS = 8;

    private ConnDataDescriptor()
    {
    }

    /**
     * {@code rs_value_to_scale(v, 8)}: 0..128 exactly, larger values as {@code 0x80 | (v >> 8)}.
     *
     * @param iomapSize entries, 0..65535.
     * @return the one-byte encoding.
     */
    public static int iomapSizeToScale(final int iomapSize)
    {
        final int half = 1 << (SCALE_BITS - 1);
        return iomapSize <= half ? iomapSize : (half | (iomapSize >> SCALE_BITS)) & 0xFF;
    }

    /**
     * {@code rs_scale_to_value(e, 8)}.
     *
     * @param scale the one-byte encoding.
     * @return entries: 0..128, or a multiple of 256 up to 32512.
     */
    public static int scaleToIomapSize(final int scale)
    {
        final int half = 1 << (SCALE_BITS - 1);
        final int e = scale & 0xFF;
        return e <= half ? e : (e & ~half) << SCALE_BITS;
    }
}
