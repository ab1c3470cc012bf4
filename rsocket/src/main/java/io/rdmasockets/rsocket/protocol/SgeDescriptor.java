package io.rdmasockets.rsocket.protocol;

/**
 * {@code struct rs_sge}: a remote buffer (wire-protocol doc sections 1.3 and 2.3). Note the field order:
 * key before length.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          addr (u64)                           |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                          key (u32)                            |  8
 *  +---------------------------------------------------------------+
 *  |                         length (u32)                          | 12
 *  +---------------------------------------------------------------+
 * </pre>
 * Byte order depends on where the entry lives: big-endian inside {@code rs_conn_data}; in a target SGL
 * array, the order of the array's owner (its {@code RS_CONN_FLAG_NET} flag), so a writer swaps when
 * the peer's order differs from its own.
 */
public final class SgeDescriptor
{
    /** Offset of {@code addr}. */
    public static final int ADDR_OFFSET = 0;
    /** Offset of {@code key}. */
    public static final int KEY_OFFSET = 8;
    /** Offset of {@code length}. */
    public static final int LENGTH_OFFSET = 12;
    /** {@code sizeof(struct rs_sge)}. */
    public static final int LENGTH = 16;
    /** {@code RS_SGL_SIZE}: entries in a target SGL (the two halves of the receive ring). */
    public static final int SGL_SIZE = 2;

    private SgeDescriptor()
    {
    }
}
