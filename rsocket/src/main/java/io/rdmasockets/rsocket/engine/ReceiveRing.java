package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The receive side of a stream rsocket (wire-protocol doc sections 2.3 and 2.5): the receive ring the
 * peer RDMA-writes into, the FIFO of data messages announced by their immediates ({@code rmsg[]}), and
 * the bookkeeping that decides when to grant the peer credits and re-advertise a half of the ring.
 *
 * <p>Invariants kept exactly as C keeps them, so a C sender never overwrites unread data: the peer may
 * have at most {@code rqSize} unconsumed messages (the FIFO holds {@code rqSize + 1} slots), and a half
 * of the ring is re-advertised only after the application consumed half a ring more than was advertised.
 * A peer that breaks them (more messages than credits, more bytes than the ring) is reported with
 * {@code EPROTO} instead of corrupting state.
 *
 * <p><b>Note:</b> not thread safe; the engine serialises access.
 */
final class ReceiveRing
{
    private final MemorySegment rbuf;
    private final int rbufSize;
    private final int half;
    private final int rqSize;
    private final int[] msgLength;
    private int head;
    private int tail;
    private long unreadBytes;

    private int rbufOffset;
    private int rbufBytesAvail;
    private int rbufFreeOffset;
    private int rseqNo;
    private int rseqComp;
    private int remoteSge;
    private int remoteSglLength;

    private int advertisedOffset = -1;
    private int advertisedRemoteSge;

    /**
     * @param rbuf   the registered receive ring; its size is the ring size (even, at least 2).
     * @param rqSize the receive queue size = credits granted to the peer, 1..65535.
     */
    ReceiveRing(final MemorySegment rbuf, final int rqSize)
    {
        if (rbuf.byteSize() < 2 || rbuf.byteSize() > Integer.MAX_VALUE || 0 != (rbuf.byteSize() & 1))
        {
            throw new IllegalArgumentException("receive ring size " + rbuf.byteSize());
        }
        if (rqSize < 1 || rqSize > 0xFFFF)
        {
            throw new IllegalArgumentException("rqSize " + rqSize);
        }
        this.rbuf = rbuf;
        this.rbufSize = (int)rbuf.byteSize();
        this.half = rbufSize >> 1;
        this.rqSize = rqSize;
        this.msgLength = new int[rqSize + 1];
        // rs_init_bufs: the first half is advertised in the connection data, the second is free.
        this.rbufFreeOffset = half;
        this.rbufBytesAvail = half;
        this.rseqComp = rqSize >> 1;
        this.remoteSge = 1;
        this.remoteSglLength = 2;
    }

    /**
     * Records the peer's target SGL size from its connection data ({@code remote_sgl.length}).
     *
     * @param entries entries in the peer's target SGL (C: always 2).
     */
    void remoteSglLength(final int entries)
    {
        if (entries < 1)
        {
            throw new IllegalArgumentException("remote SGL length " + entries);
        }
        remoteSglLength = entries;
        remoteSge = 1 % entries;
    }

    /**
     * A DATA message arrived ({@code rs_poll_cq}, default branch): its bytes are already in the ring.
     *
     * @param length the byte count from the immediate.
     * @return 0, or {@code EPROTO} when the peer exceeded its credits or the ring.
     */
    int onData(final int length)
    {
        final int next = tail + 1 == msgLength.length ? 0 : tail + 1;
        if (next == head || length < 0 || unreadBytes + length > rbufSize)
        {
            return Errno.EPROTO.code();
        }
        msgLength[tail] = length;
        tail = next;
        unreadBytes += length;
        return 0;
    }

    /** @return true when a data message is waiting ({@code rs_have_rdata}). */
    boolean hasData()
    {
        return head != tail;
    }

    /** @return bytes waiting to be read. */
    long available()
    {
        return unreadBytes;
    }

    /**
     * Copies and consumes up to {@code length} bytes ({@code rrecv}'s loop), freeing ring space.
     *
     * @param dst       where to copy.
     * @param dstOffset offset in {@code dst}.
     * @param length    most bytes to take.
     * @return bytes copied (0 when nothing is waiting).
     */
    int read(final MemorySegment dst, final long dstOffset, final int length)
    {
        int left = length;
        long out = dstOffset;
        while (left > 0 && head != tail)
        {
            final int size;
            if (left < msgLength[head])
            {
                size = left;
                msgLength[head] -= left;
            }
            else
            {
                size = msgLength[head];
                rseqNo = (rseqNo + 1) & 0xFFFF;
                head = head + 1 == msgLength.length ? 0 : head + 1;
            }
            rbufOffset = copyOut(rbufOffset, dst, out, size);
            out += size;
            left -= size;
        }
        final int taken = length - left;
        unreadBytes -= taken;
        rbufBytesAvail += taken;
        return taken;
    }

    /**
     * Copies up to {@code length} bytes without consuming them ({@code rs_peek}, MSG_PEEK).
     *
     * @param dst       where to copy.
     * @param dstOffset offset in {@code dst}.
     * @param length    most bytes to copy.
     * @return bytes copied.
     */
    int peek(final MemorySegment dst, final long dstOffset, final int length)
    {
        return peek(dst, dstOffset, length, 0);
    }

    /**
     * Copies up to {@code length} bytes, {@code skip} bytes past the next one, without consuming them (MSG_PEEK
     * into the second and later segments of a scatter read).
     *
     * @param dst       where to copy.
     * @param dstOffset offset in {@code dst}.
     * @param length    most bytes to copy.
     * @param skip      unread bytes to leave out first.
     * @return bytes copied.
     */
    int peek(final MemorySegment dst, final long dstOffset, final int length, final long skip)
    {
        final long size = Math.max(0, Math.min(length, unreadBytes - skip));
        if (size > 0)
        {
            final long from = (rbufOffset + skip) % rbufSize;
            copyOut((int)from, dst, dstOffset, (int)size);
        }
        return (int)size;
    }

    /**
     * {@code rs_give_credits}, less the control-window and state tests the engine adds.
     *
     * @return true when half the ring is free again or half the credits were consumed.
     */
    boolean shouldUpdateCredits()
    {
        return rbufBytesAvail >= half || (short)(rseqNo - rseqComp) >= 0;
    }

    /**
     * Accounts for one credit update ({@code rs_send_credits}). Afterwards {@link #advertisedOffset()}
     * says whether the update carries a re-advertised half (an SGE to write into the peer's target SGL
     * entry {@link #advertisedRemoteSge()}) or credits only (-1).
     *
     * @return the immediate's data field: {@code rseq_no + rq_size}, whose low 16 bits the peer uses as
     *         its new credit limit.
     */
    int prepareCreditUpdate()
    {
        rseqComp = (rseqNo + (rqSize >> 1)) & 0xFFFF;
        if (rbufBytesAvail >= half)
        {
            advertisedOffset = rbufFreeOffset;
            advertisedRemoteSge = remoteSge;
            rbufBytesAvail -= half;
            rbufFreeOffset += half;
            if (rbufFreeOffset >= rbufSize)
            {
                rbufFreeOffset = 0;
            }
            remoteSge = remoteSge + 1 == remoteSglLength ? 0 : remoteSge + 1;
        }
        else
        {
            advertisedOffset = -1;
        }
        return rseqNo + rqSize;
    }

    /** @return the ring offset advertised by the last update, or -1 when it granted credits only. */
    int advertisedOffset()
    {
        return advertisedOffset;
    }

    /** @return the bytes advertised per half. */
    int halfSize()
    {
        return half;
    }

    /** @return which entry of the peer's target SGL the last update's SGE goes to. */
    int advertisedRemoteSge()
    {
        return advertisedRemoteSge;
    }

    /** @return messages fully consumed so far, modulo 2^16 ({@code rseq_no}). */
    int sequenceNumber()
    {
        return rseqNo;
    }

    private int copyOut(final int from, final MemorySegment dst, final long dstOffset, final int size)
    {
        // Messages never cross the ring's end (each target SGE is one half), but copy as if they could.
        final int endSize = rbufSize - from;
        if (size > endSize)
        {
            MemorySegment.copy(rbuf, ValueLayout.JAVA_BYTE, from, dst, ValueLayout.JAVA_BYTE, dstOffset, endSize);
            MemorySegment.copy(rbuf, ValueLayout.JAVA_BYTE, 0, dst, ValueLayout.JAVA_BYTE, dstOffset + endSize,
                size - endSize);
            return size - endSize;
        }
        MemorySegment.copy(rbuf, ValueLayout.JAVA_BYTE, from, dst, ValueLayout.JAVA_BYTE, dstOffset, size);
        final int next = from + size;
        return next == rbufSize ? 0 : next;
    }
}
