package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.*;

/** C's receive-side accounting (wire-protocol doc sections 2.3 and 2.5), step by step. */
class ReceiveRingTest
{
    private final MemorySegment rbuf = MemorySegment.ofArray(new byte[1024]);
    private final ReceiveRing ring = new ReceiveRing(rbuf, 8);

    @Test
    void shouldAdvertiseTheSecondHalfOnTheFirstUpdate()
    {
        // rs_init_bufs: half 0 went out in the connection data; half 1 is free but not yet advertised.
        assertTrue(ring.shouldUpdateCredits());
        assertEquals(8, ring.prepareCreditUpdate());       // rseq_no 0 + rq_size 8
        assertEquals(512, ring.advertisedOffset());
        assertEquals(1, ring.advertisedRemoteSge());
        assertFalse(ring.shouldUpdateCredits());
    }

    @Test
    void shouldReadMessagesInOrderAcrossPartialReads()
    {
        ring.prepareCreditUpdate();
        peerWrites(0, 300, (byte)1);
        peerWrites(300, 100, (byte)2);
        assertEquals(0, ring.onData(300));
        assertEquals(0, ring.onData(100));
        assertEquals(400, ring.available());

        final MemorySegment dst = MemorySegment.ofArray(new byte[1000]);
        assertEquals(250, ring.read(dst, 0, 250));
        assertEquals(0, ring.sequenceNumber());             // first message only partly consumed
        assertEquals(150, ring.read(dst, 250, 1000));
        assertEquals(2, ring.sequenceNumber());
        assertFalse(ring.hasData());
        for (int i = 0; i < 400; i++)
        {
            assertEquals(i < 300 ? 1 : 2, dst.get(ValueLayout.JAVA_BYTE, i), "byte " + i);
        }
        assertEquals(0, ring.read(dst, 0, 10));
    }

    @Test
    void shouldReadvertiseAHalfOnlyAfterItWasConsumed()
    {
        ring.prepareCreditUpdate();                         // advertises half 1 into peer SGE 1
        peerWrites(0, 512, (byte)7);                        // the peer fills half 0
        assertEquals(0, ring.onData(256));
        assertEquals(0, ring.onData(256));
        final MemorySegment dst = MemorySegment.ofArray(new byte[512]);
        assertEquals(511, ring.read(dst, 0, 511));
        assertFalse(ring.shouldUpdateCredits(), "half 0 is not fully consumed yet");
        assertEquals(1, ring.read(dst, 511, 1));
        assertTrue(ring.shouldUpdateCredits());
        assertEquals(2 + 8, ring.prepareCreditUpdate());
        assertEquals(0, ring.advertisedOffset(), "half 0 goes out again");
        assertEquals(0, ring.advertisedRemoteSge(), "into the peer's SGE 0: the SGL cursor wrapped");
    }

    @Test
    void shouldGrantCreditsAfterHalfTheQueueWasConsumed()
    {
        ring.prepareCreditUpdate();
        final MemorySegment dst = MemorySegment.ofArray(new byte[16]);
        for (int i = 0; i < 4; i++)
        {
            assertEquals(0, ring.onData(1));
            ring.read(dst, 0, 1);
        }
        assertTrue(ring.shouldUpdateCredits(), "rseq_no reached rseq_comp = rq_size / 2");
        assertEquals(4 + 8, ring.prepareCreditUpdate());
        assertEquals(-1, ring.advertisedOffset(), "credits only: not half a ring was consumed");
        assertFalse(ring.shouldUpdateCredits());
    }

    @Test
    void shouldReportAPeerThatExceedsItsCreditsOrTheRing()
    {
        for (int i = 0; i < 8; i++)
        {
            assertEquals(0, ring.onData(1));
        }
        assertEquals(Errno.EPROTO.code(), ring.onData(1), "a ninth message with 8 credits");
        final ReceiveRing other = new ReceiveRing(MemorySegment.ofArray(new byte[64]), 8);
        assertEquals(0, other.onData(60));
        assertEquals(Errno.EPROTO.code(), other.onData(5), "more bytes than the ring holds");
        assertEquals(Errno.EPROTO.code(), other.onData(-1));
    }

    @Test
    void shouldPeekWithoutConsuming()
    {
        peerWrites(0, 3, (byte)9);
        peerWrites(3, 3, (byte)8);
        ring.onData(3);
        ring.onData(3);
        final MemorySegment dst = MemorySegment.ofArray(new byte[10]);
        assertEquals(5, ring.peek(dst, 0, 5));
        assertEquals(8, dst.get(ValueLayout.JAVA_BYTE, 4));
        assertEquals(6, ring.available());
        assertEquals(0, ring.sequenceNumber());
        assertEquals(6, ring.read(dst, 0, 10));
    }

    @Test
    void shouldWrapSequenceNumbersAt16Bits()
    {
        final ReceiveRing r = new ReceiveRing(MemorySegment.ofArray(new byte[64]), 4);
        final MemorySegment dst = MemorySegment.ofArray(new byte[1]);
        int updates = 0;
        for (int i = 0; i < 70_000; i++)
        {
            assertEquals(0, r.onData(1));
            assertEquals(1, r.read(dst, 0, 1));
            if (r.shouldUpdateCredits())
            {
                final int data = r.prepareCreditUpdate();
                assertEquals(((i + 1) & 0xFFFF) + 4, data);
                updates++;
            }
        }
        assertEquals(70_000 & 0xFFFF, r.sequenceNumber());
        assertTrue(updates >= 70_000 / 2 - 1, "an update every rq_size / 2 messages: " + updates);
    }

    private void peerWrites(final int offset, final int length, final byte value)
    {
        rbuf.asSlice(offset, length).fill(value);
    }
}
