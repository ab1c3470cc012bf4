package io.rdmasockets.rsocket.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.rdmasockets.rsocket.protocol.IomapDescriptor.*;

/**
 * Reads and writes an {@link IomapDescriptor rs_iomap} in place, in the table owner's byte order.
 *
 * <p><b>Note:</b> not thread safe.
 */
public final class IomapFlyweight
{
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final SgeFlyweight sge = new SgeFlyweight();
    /** A branch between constant layouts, not a layout field: only a constant VarHandle compiles to a plain load. */
    private boolean big;
    private MemorySegment segment;
    private long offset;

    /**
     * @param segment memory holding the entry.
     * @param offset  where the entry starts.
     * @param order   the byte order of the table's owner.
     * @return this.
     */
    public IomapFlyweight wrap(final MemorySegment segment, final long offset, final ByteOrder order)
    {
        if (offset < 0 || offset + LENGTH > segment.byteSize())
        {
            throw new IndexOutOfBoundsException("rs_iomap needs " + LENGTH + " bytes at " + offset +
                " of " + segment.byteSize());
        }
        this.segment = segment;
        this.offset = offset;
        big = ByteOrder.BIG_ENDIAN == order;
        return this;
    }

    /** @return the mapping's riomap offset. */
    public long mapOffset()
    {
        final long at = offset + MAP_OFFSET_OFFSET;
        return big ? segment.get(BE_LONG, at) : segment.get(LE_LONG, at);
    }

    /** @return the mapped buffer, as an SGE in the same byte order. */
    public SgeFlyweight sge()
    {
        return sge.wrap(segment, offset + SGE_OFFSET, big ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Writes the whole entry.
     *
     * @param mapOffset the riomap offset.
     * @param address   the buffer's virtual address.
     * @param key       its rkey.
     * @param length    its length.
     * @return this.
     */
    public IomapFlyweight set(final long mapOffset, final long address, final int key, final long length)
    {
        final long at = offset + MAP_OFFSET_OFFSET;
        if (big)
        {
            segment.set(BE_LONG, at, mapOffset);
        }
        else
        {
            segment.set(LE_LONG, at, mapOffset);
        }
        sge().set(address, key, length);
        return this;
    }
}
