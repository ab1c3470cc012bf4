package io.rdmasockets.rsocket.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.rdmasockets.rsocket.protocol.ConnDataDescriptor.*;

/**
 * Reads and writes a {@link ConnDataDescriptor rs_conn_data} in place. Wrap, then access; nothing
 * allocates.
 *
 * <p><b>Note:</b> not thread safe.
 */
public final class ConnDataFlyweight
{
    private static final ValueLayout.OfShort BE_SHORT =
        ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final SgeFlyweight sge = new SgeFlyweight();
    private MemorySegment segment;
    private long offset;

    /**
     * @param segment memory holding at least {@link ConnDataDescriptor#LENGTH} bytes at {@code offset}.
     * @param offset  where the structure starts.
     * @return this.
     */
    public ConnDataFlyweight wrap(final MemorySegment segment, final long offset)
    {
        if (offset < 0 || offset + LENGTH > segment.byteSize())
        {
            throw new IndexOutOfBoundsException("rs_conn_data needs " + LENGTH + " bytes at " + offset +
                " of " + segment.byteSize());
        }
        this.segment = segment;
        this.offset = offset;
        return this;
    }

    /** @return {@code version}. */
    public int version()
    {
        return segment.get(ValueLayout.JAVA_BYTE, offset + VERSION_OFFSET) & 0xFF;
    }

    /** @param v the version. @return this. */
    public ConnDataFlyweight version(final int v)
    {
        segment.set(ValueLayout.JAVA_BYTE, offset + VERSION_OFFSET, (byte)v);
        return this;
    }

    /** @return {@code flags}. */
    public int flags()
    {
        return segment.get(ValueLayout.JAVA_BYTE, offset + FLAGS_OFFSET) & 0xFF;
    }

    /** @param v the flags. @return this. */
    public ConnDataFlyweight flags(final int v)
    {
        segment.set(ValueLayout.JAVA_BYTE, offset + FLAGS_OFFSET, (byte)v);
        return this;
    }

    /** @return {@code credits}: the sender's receive queue size, unsigned 16 bits. */
    public int credits()
    {
        return segment.get(BE_SHORT, offset + CREDITS_OFFSET) & 0xFFFF;
    }

    /** @param v the credits. @return this. */
    public ConnDataFlyweight credits(final int v)
    {
        segment.set(BE_SHORT, offset + CREDITS_OFFSET, (short)v);
        return this;
    }

    /** Zeroes {@code reserved[3]}. @return this. */
    public ConnDataFlyweight clearReserved()
    {
        segment.asSlice(offset + RESERVED_OFFSET, 3).fill((byte)0);
        return this;
    }

    /** @return the raw, scale-encoded {@code target_iomap_size}. */
    public int targetIomapSizeScale()
    {
        return segment.get(ValueLayout.JAVA_BYTE, offset + TARGET_IOMAP_SIZE_OFFSET) & 0xFF;
    }

    /** @param scale the scale-encoded size. @return this. */
    public ConnDataFlyweight targetIomapSizeScale(final int scale)
    {
        segment.set(ValueLayout.JAVA_BYTE, offset + TARGET_IOMAP_SIZE_OFFSET, (byte)scale);
        return this;
    }

    /** @return the {@code target_sgl} entry (big-endian), positioned over this structure. */
    public SgeFlyweight targetSgl()
    {
        return sge.wrap(segment, offset + TARGET_SGL_OFFSET, ByteOrder.BIG_ENDIAN);
    }

    /** @return the {@code data_buf} entry (big-endian), positioned over this structure. */
    public SgeFlyweight dataBuf()
    {
        return sge.wrap(segment, offset + DATA_BUF_OFFSET, ByteOrder.BIG_ENDIAN);
    }
}
