package io.rdmasockets.rsocket.protocol;

/**
 * {@code struct rs_iomap}: one published riomap mapping (wire-protocol doc section 3). The table of
 * these lives directly after the target SGL array in the same registered region, in its owner's byte
 * order.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                   offset (u64, riomap offset)                 |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        sge.addr (u64)                         |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                        sge.key (u32)                          | 16
 *  +---------------------------------------------------------------+
 *  |                       sge.length (u32)                        | 20
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class IomapDescriptor
{
    /** Offset of {@code offset}. */
    public static final int MAP_OFFSET_OFFSET = 0;
    /** Offset of the embedded {@code rs_sge}. */
    public static final int SGE_OFFSET = 8;
    /** {@code sizeof(struct rs_iomap)}. */
    public static final int LENGTH = 24;

    private IomapDescriptor()
    {
    }
}
