package io.rdmasockets.rsocket.engine;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The last array or direct buffer an {@link RdmaSocket} read into (or wrote from) and a segment over all of it,
 * so that an application using the same one again costs no allocation per call.
 *
 * <p><b>Note:</b> not thread safe: each direction keeps its own, under its lock.
 */
public final class SegmentCache
{
    private Object key;
    private MemorySegment segment;

    /**
     * @param array the bytes.
     * @return a segment over all of {@code array}.
     */
    public MemorySegment of(final byte[] array)
    {
        if (array != key)
        {
            segment = MemorySegment.ofArray(array);
            key = array;
        }
        return segment;
    }

    /**
     * @param direct a direct buffer.
     * @return a segment over all of its capacity, whatever its position and limit.
     */
    public MemorySegment of(final ByteBuffer direct)
    {
        if (direct != key)
        {
            segment = MemorySegment.ofBuffer(direct.duplicate().clear());
            key = direct;
        }
        return segment;
    }
}
