package io.rdmasockets.provider.tcp.internal;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire layout byte by byte: what another implementation of the framing must produce. */
class TcpFrameDescriptorTest
{
    @Test
    void shouldLayOutHeaderBigEndianAtDocumentedOffsets()
    {
        final byte[] frame = new byte[HEADER_LENGTH];
        putHeader(MemorySegment.ofArray(frame), 0, TYPE_WRITE_IMM, FLAG_SOLICITED, 0x0A0B, 0x01020304, 0x11121314,
            0x21222324, 0x80A1B2C3, 0x31323334, 0x4142434445464748L);
        final byte[] expected = {
            19, 1, 0x0A, 0x0B,
            1, 2, 3, 4,
            0x11, 0x12, 0x13, 0x14,
            0x21, 0x22, 0x23, 0x24,
            (byte)0x80, (byte)0xA1, (byte)0xB2, (byte)0xC3,
            0x31, 0x32, 0x33, 0x34,
            0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48};
        assertArrayEquals(expected, frame);
        final MemorySegment s = MemorySegment.ofArray(frame);
        assertEquals(TYPE_WRITE_IMM, type(s, 0));
        assertEquals(FLAG_SOLICITED, flags(s, 0));
        assertEquals(0x0A0B, status(s, 0));
        assertEquals(0x01020304L, length(s, 0));
        assertEquals(0x11121314, psn(s, 0));
        assertEquals(0x21222324, ackPsn(s, 0));
        assertEquals(0x80A1B2C3, immediate(s, 0));
        assertEquals(0x31323334, rkey(s, 0));
        assertEquals(0x4142434445464748L, remoteAddress(s, 0));
    }

    @Test
    void shouldStartCmBodiesWithMagicAndVersion()
    {
        final byte[] body = new byte[CM_BODY_LENGTH];
        putCmBody(MemorySegment.ofArray(body), 0, CM_FLAG_FLOW_CONTROL, 0x0106, 0x123456, 1, 2, 7, 7);
        assertArrayEquals(new byte[] {
            0x52, 0x54, 0x43, 0x50, VERSION, 1, 0x01, 0x06, 0, 0x12, 0x34, 0x56, 1, 2, 7, 7}, body);
    }

    @Test
    void shouldReadLengthAsUnsigned()
    {
        final MemorySegment s = MemorySegment.ofArray(new byte[HEADER_LENGTH]);
        putHeader(s, 0, TYPE_WRITE, 0, 0, -1, 0, 0, 0, 0, 0);
        assertEquals(0xFFFF_FFFFL, length(s, 0));
        assertFalse(isValidLength(TYPE_WRITE, length(s, 0)), "beyond 2^31-1 is refused, never allocated");
    }

    @Test
    void shouldCapLengthsPerType()
    {
        assertTrue(isValidLength(TYPE_REQ, CM_BODY_LENGTH + 56));
        assertFalse(isValidLength(TYPE_REQ, CM_BODY_LENGTH - 1));
        assertFalse(isValidLength(TYPE_REP, MAX_CM_BODY_LENGTH + 1));
        assertFalse(isValidLength(TYPE_REJ, 149));
        assertFalse(isValidLength(TYPE_ACK, 1));
        assertFalse(isValidLength(TYPE_DREQ, 4));
        assertTrue(isValidLength(TYPE_READ_REQ, Integer.MAX_VALUE));
        assertEquals(0, bodyLength(TYPE_READ_REQ, 4096), "a read request carries no body");
        assertEquals(4096, bodyLength(TYPE_READ_RESP, 4096));
    }

    @Test
    void shouldKnowOnlyDefinedTypes()
    {
        for (int t = 0; t < 256; t++)
        {
            final boolean known = (t >= TYPE_REQ && t <= TYPE_DREP) || (t >= TYPE_SEND && t <= TYPE_NAK);
            assertEquals(known, isKnown(t), "type " + t);
        }
    }
}
