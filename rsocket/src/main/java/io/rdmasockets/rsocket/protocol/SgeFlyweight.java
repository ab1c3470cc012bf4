package io.rdmasockets.rsocket.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

import static io.rdmasockets.rsocket.protocol.SgeDescriptor.*;

/**
 * Reads and writes an {@link SgeDescriptor rs_sge} in place, in a chosen byte order. The target SGL is
 * written by the peer's HCA while the sender reads it: {@link #length()} is read first and followed by
 * an acquire fence, so a spinning reader sees each new value and reads the address and key after it,
 * as C does with its volatile read (wire-protocol doc section 2.3, race note).
 *
 * <p><b>Note:</b> not thread safe.
 */
public final class SgeFlyweight
{
    private static final ValueLayout.OfLong LE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong BE_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long offset;
    /** A branch between constant layouts, not a layout field: only a constant VarHandle compiles to a plain load. */
    private boolean big;

    /**
     * @param segment memory holding the entry.
     * @param offset  where the entry starts.
     * @param order   the byte order of the memory's owner.
     * @return this.
     */
    public SgeFlyweight wrap(final MemorySegment segment, final long offset, final ByteOrder order)
    {
        if (offset < 0 || offset + LENGTH > segment.byteSize())
        {
            throw new IndexOutOfBoundsException("rs_sge needs " + LENGTH + " bytes at " + offset +
                " of " + segment.byteSize());
        }
        this.segment = segment;
        this.offset = offset;
        big = ByteOrder.BIG_ENDIAN == order;
        return this;
    }

    /** @return {@code length}, unsigned; later reads of this entry are not reordered before it. */
    public long length()
    {
        final int length = getInt(LENGTH_OFFSET);
        VarHandle.acquireFence();
        return length & 0xFFFF_FFFFL;
    }

    /** @return {@code addr}. */
    public long address()
    {
        final long at = offset + ADDR_OFFSET;
        return big ? segment.get(BE_LONG, at) : segment.get(LE_LONG, at);
    }

    /** @return {@code key}. */
    public int key()
    {
        return getInt(KEY_OFFSET);
    }

    /**
     * Writes all three fields.
     *
     * @param address the buffer's virtual address.
     * @param key     its rkey.
     * @param length  its length in bytes.
     * @return this.
     */
    public SgeFlyweight set(final long address, final int key, final long length)
    {
        if (big)
        {
            segment.set(BE_LONG, offset + ADDR_OFFSET, address);
            segment.set(BE_INT, offset + KEY_OFFSET, key);
            segment.set(BE_INT, offset + LENGTH_OFFSET, (int)length);
        }
        else
        {
            segment.set(LE_LONG, offset + ADDR_OFFSET, address);
            segment.set(LE_INT, offset + KEY_OFFSET, key);
            segment.set(LE_INT, offset + LENGTH_OFFSET, (int)length);
        }
        return this;
    }

    private int getInt(final long fieldOffset)
    {
        final long at = offset + fieldOffset;
        return big ? segment.get(BE_INT, at) : segment.get(LE_INT, at);
    }
}
