package io.rdmasockets.tools.stream;

import java.lang.foreign.MemorySegment;

/**
 * A connection with rsockets' direct data placement, as riostream uses it ({@code riomap}, {@code riounmap},
 * {@code riowrite}; wire-protocol doc section 3). Status codes, no allocation.
 */
public interface IoConnection extends Connection
{
    /**
     * {@code riomap(PROT_WRITE)} of {@code buffer}.
     *
     * @param buffer native memory of a shared arena.
     * @param offset the offset the peer writes at.
     * @return the offset, or a negative errno ({@code ENOMEM}: the peer accepts no more mappings).
     */
    long riomap(MemorySegment buffer, long offset);

    /**
     * {@code riounmap}.
     *
     * @param buffer exactly the memory mapped.
     * @return 0 or a negative errno.
     */
    int riounmap(MemorySegment buffer);

    /**
     * {@code riowrite}.
     *
     * @param src       the bytes.
     * @param srcOffset where they start.
     * @param count     how many.
     * @param offset    the peer's offset.
     * @param flags     {@link #MSG_DONTWAIT}.
     * @return bytes written, or a negative errno ({@code -EAGAIN}: none without waiting).
     */
    long riowrite(MemorySegment src, long srcOffset, long count, long offset, int flags);
}
