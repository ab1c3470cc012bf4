package io.rdmasockets.rsocket.engine;

import java.lang.foreign.MemorySegment;

/**
 * A position in a list of segments, for gather sends and scatter receives (C's {@code rs_copy_iov}): the data
 * path keeps one per direction and uses it under that direction's lock, so nothing is allocated per call.
 *
 * <p><b>Note:</b> not thread safe.
 */
final class SegmentCursor
{
    private MemorySegment[] iov;
    private int count;
    private int index;
    private long offset;

    void start(final MemorySegment[] iov, final int count, final long offset)
    {
        this.iov = iov;
        this.count = count;
        this.index = 0;
        this.offset = offset;
    }

    /** Drops the caller's segments. */
    void clear()
    {
        iov = null;
    }

    /** Copies the next {@code length} bytes into {@code dst}, moving on. */
    void copyTo(final MemorySegment dst, final long dstOffset, final int length)
    {
        long to = dstOffset;
        int left = length;
        while (left > 0)
        {
            final MemorySegment s = iov[index];
            final long available = s.byteSize() - offset;
            if (available <= 0)
            {
                index++;
                offset = 0;
                continue;
            }
            final int n = (int)Math.min(available, left);
            MemorySegment.copy(s, offset, dst, to, n);
            offset += n;
            to += n;
            left -= n;
        }
    }

    /** Consumes up to {@code length} bytes from the ring into the segments. */
    long readFrom(final ReceiveRing ring, final long length)
    {
        long done = 0;
        while (done < length && index < count && ring.hasData())
        {
            final MemorySegment s = iov[index];
            final long room = Math.min(s.byteSize() - offset, length - done);
            if (room <= 0)
            {
                index++;
                offset = 0;
                continue;
            }
            final int n = ring.read(s, offset, (int)Math.min(room, Integer.MAX_VALUE));
            offset += n;
            done += n;
        }
        return done;
    }

    /** Copies up to {@code length} bytes without consuming them (MSG_PEEK). */
    long peekFrom(final ReceiveRing ring, final long length)
    {
        long done = 0;
        while (done < length && index < count)
        {
            final MemorySegment s = iov[index];
            final long room = Math.min(s.byteSize() - offset, length - done);
            if (room <= 0)
            {
                index++;
                offset = 0;
                continue;
            }
            final int n = ring.peek(s, offset, (int)Math.min(room, Integer.MAX_VALUE), done);
            if (0 == n)
            {
                break;
            }
            offset += n;
            done += n;
        }
        return done;
    }
}
