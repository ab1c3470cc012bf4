package io.rdmasockets.rsocket.protocol;

/**
 * The 32-bit immediate of every rsocket message (wire-protocol doc section 2.2). It travels
 * big-endian ({@code htobe32}); the verbs SPI already carries the logical value, so these helpers work
 * on plain ints.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-----+---------------------------------------------------------+
 *  | op  |                      data (29 bits)                     |
 *  +-----+---------------------------------------------------------+
 *   op 0 DATA        data = bytes in this RDMA write
 *   op 4 SGL         data = (rseq_no + rq_size) of the updater; low 16 bits are the new credit limit
 *   op 6 IOMAP_SGL   data = index of the iomap entry just written
 *   op 7 CTRL        data = 0 DISCONNECT, 1 KEEPALIVE, 2 SHUTDOWN
 *   ops 1, 3, 5 are reserved (a C receiver treats them as data: never send them); op 2 never
 *   travels (it marks riowrite work requests locally).
 * </pre>
 */
public final class ImmediateDescriptor
{
    /** {@code RS_OP_DATA}. */
    public static final int OP_DATA = 0;
    /** {@code RS_OP_RSVD_DATA_MORE}: reserved. */
    public static final int OP_RSVD_DATA_MORE = 1;
    /** {@code RS_OP_WRITE}: local work-request marker for riowrite, never on the wire. */
    public static final int OP_WRITE = 2;
    /** {@code RS_OP_RSVD_DRA_MORE}: reserved. */
    public static final int OP_RSVD_DRA_MORE = 3;
    /** {@code RS_OP_SGL}: credit update, optionally with a receive-buffer SGE written first. */
    public static final int OP_SGL = 4;
    /** {@code RS_OP_RSVD}: reserved. */
    public static final int OP_RSVD = 5;
    /** {@code RS_OP_IOMAP_SGL}: an iomap entry was written. */
    public static final int OP_IOMAP_SGL = 6;
    /** {@code RS_OP_CTRL}: a control message. */
    public static final int OP_CTRL = 7;

    /** {@code RS_CTRL_DISCONNECT}. */
    public static final int CTRL_DISCONNECT = 0;
    /** {@code RS_CTRL_KEEPALIVE}: receivers ignore it. */
    public static final int CTRL_KEEPALIVE = 1;
    /** {@code RS_CTRL_SHUTDOWN}: the peer will send no more (half close). */
    public static final int CTRL_SHUTDOWN = 2;

    /** Largest value of the data field. */
    public static final int MAX_DATA = (1 << 29) - 1;

    private ImmediateDescriptor()
    {
    }

    /**
     * @param op   an {@code OP_*} value, 0..7.
     * @param data the data field, 0..{@link #MAX_DATA}.
     * @return {@code op << 29 | data}.
     */
    public static int encode(final int op, final int data)
    {
        if (op < 0 || op > 7 || data < 0 || data > MAX_DATA)
        {
            throw new IllegalArgumentException("op=" + op + " data=" + data);
        }
        return op << 29 | data;
    }

    /** @param imm an immediate. @return its op, 0..7. */
    public static int op(final int imm)
    {
        return imm >>> 29;
    }

    /** @param imm an immediate. @return its data field. */
    public static int data(final int imm)
    {
        return imm & MAX_DATA;
    }
}
