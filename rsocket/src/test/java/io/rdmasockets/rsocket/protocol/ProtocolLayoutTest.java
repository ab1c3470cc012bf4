package io.rdmasockets.rsocket.protocol;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** Each layout against bytes computed by hand from ../shared/docs/rsocket-wire-protocol.md. */
class ProtocolLayoutTest
{
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldEncodeConnDataExactlyAsCFormatsIt()
    {
        // rs_format_conn_data on a little-endian host: version 1, flags IOMAP only, rq_size 384 credits,
        // iomap size 1 (riostream), target SGL at 0x7f0012345000 rkey 0x1122 two entries, receive ring at
        // 0x7f0000001000 rkey 0xabcdef01, half of a 128 KiB ring.
        final byte[] expected = HEX.parseHex(
            "01" + "02" + "0180" + "000000" + "01" +
            "00007f0012345000" + "00001122" + "00000002" +
            "00007f0000001000" + "abcdef01" + "00010000");
        assertEquals(ConnDataDescriptor.LENGTH, expected.length);

        final MemorySegment seg = MemorySegment.ofArray(new byte[ConnDataDescriptor.LENGTH]);
        final ConnDataFlyweight cd = new ConnDataFlyweight().wrap(seg, 0);
        cd.version(ConnDataDescriptor.VERSION).flags(ConnDataDescriptor.FLAG_IOMAP).credits(384).clearReserved()
            .targetIomapSizeScale(ConnDataDescriptor.iomapSizeToScale(1));
        cd.targetSgl().set(0x7f0012345000L, 0x1122, SgeDescriptor.SGL_SIZE);
        cd.dataBuf().set(0x7f0000001000L, 0xabcdef01, 1 << 16);
        assertArrayEquals(expected, seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));

        final ConnDataFlyweight parsed = new ConnDataFlyweight().wrap(MemorySegment.ofArray(expected), 0);
        assertEquals(1, parsed.version());
        assertEquals(ConnDataDescriptor.FLAG_IOMAP, parsed.flags());
        assertEquals(384, parsed.credits());
        assertEquals(1, ConnDataDescriptor.scaleToIomapSize(parsed.targetIomapSizeScale()));
        assertEquals(0x7f0012345000L, parsed.targetSgl().address());
        assertEquals(0x1122, parsed.targetSgl().key());
        assertEquals(2, parsed.targetSgl().length());
        assertEquals(0xabcdef01, parsed.dataBuf().key());
        assertEquals(65536, parsed.dataBuf().length());
    }

    @Test
    void shouldReadCreditsUnsignedAndRejectShortBuffers()
    {
        final MemorySegment seg = MemorySegment.ofArray(HEX.parseHex("01" + "00" + "fffe" + "00".repeat(36)));
        assertEquals(0xFFFE, new ConnDataFlyweight().wrap(seg, 0).credits());
        assertThrows(IndexOutOfBoundsException.class,
            () -> new ConnDataFlyweight().wrap(MemorySegment.ofArray(new byte[39]), 0));
        assertThrows(IndexOutOfBoundsException.class,
            () -> new ConnDataFlyweight().wrap(MemorySegment.ofArray(new byte[40]), 1));
    }

    @Test
    void shouldScaleIomapSizesAsRsValueToScale()
    {
        // Values checked in the protocol document: 129 -> 0x80 -> 128, 256 -> 0x81 -> 256, 1000 -> 0x83 -> 768.
        assertEquals(0, ConnDataDescriptor.iomapSizeToScale(0));
        assertEquals(128, ConnDataDescriptor.iomapSizeToScale(128));
        assertEquals(0x80, ConnDataDescriptor.iomapSizeToScale(129));
        assertEquals(128, ConnDataDescriptor.scaleToIomapSize(0x80));
        assertEquals(0x81, ConnDataDescriptor.iomapSizeToScale(256));
        assertEquals(256, ConnDataDescriptor.scaleToIomapSize(0x81));
        assertEquals(0x83, ConnDataDescriptor.iomapSizeToScale(1000));
        assertEquals(768, ConnDataDescriptor.scaleToIomapSize(0x83));
        assertEquals(32512, ConnDataDescriptor.scaleToIomapSize(0xFF));
    }

    @Test
    void shouldEncodeImmediatesAsTheDocumentLists()
    {
        assertEquals(0x00000400, ImmediateDescriptor.encode(ImmediateDescriptor.OP_DATA, 1024));
        assertEquals(0x80000180, ImmediateDescriptor.encode(ImmediateDescriptor.OP_SGL, 384));
        assertEquals(0xC0000003, ImmediateDescriptor.encode(ImmediateDescriptor.OP_IOMAP_SGL, 3));
        assertEquals(0xE0000000,
            ImmediateDescriptor.encode(ImmediateDescriptor.OP_CTRL, ImmediateDescriptor.CTRL_DISCONNECT));
        assertEquals(0xE0000002,
            ImmediateDescriptor.encode(ImmediateDescriptor.OP_CTRL, ImmediateDescriptor.CTRL_SHUTDOWN));
        assertEquals(ImmediateDescriptor.OP_CTRL, ImmediateDescriptor.op(0xE0000001));
        assertEquals(ImmediateDescriptor.CTRL_KEEPALIVE, ImmediateDescriptor.data(0xE0000001));
        assertEquals(ImmediateDescriptor.OP_SGL, ImmediateDescriptor.op(0x80000180));
        assertEquals(384, ImmediateDescriptor.data(0x80000180) & 0xFFFF);
        assertThrows(IllegalArgumentException.class, () -> ImmediateDescriptor.encode(8, 0));
        assertThrows(IllegalArgumentException.class, () -> ImmediateDescriptor.encode(0, 1 << 29));
    }

    @Test
    void shouldWriteSgesInTheOwnersByteOrder()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(32, 8);
            new SgeFlyweight().wrap(seg, 0, ByteOrder.LITTLE_ENDIAN).set(0x0102030405060708L, 0x0A0B0C0D, 0x10000);
            new SgeFlyweight().wrap(seg, 16, ByteOrder.BIG_ENDIAN).set(0x0102030405060708L, 0x0A0B0C0D, 0x10000);
            final String hex = HEX.formatHex(seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            assertEquals("0807060504030201" + "0d0c0b0a" + "00000100" +
                "0102030405060708" + "0a0b0c0d" + "00010000", hex);
            final SgeFlyweight le = new SgeFlyweight().wrap(seg, 0, ByteOrder.LITTLE_ENDIAN);
            assertEquals(0x0102030405060708L, le.address());
            assertEquals(0x0A0B0C0D, le.key());
            assertEquals(0x10000, le.length());
        }
    }

    @Test
    void shouldLayOutIomapEntriesAfterTheOffset()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment seg = arena.allocate(IomapDescriptor.LENGTH, 8);
            final IomapFlyweight iomap = new IomapFlyweight().wrap(seg, 0, ByteOrder.BIG_ENDIAN);
            iomap.set(0x1000, 0x7f0000002000L, 0x55667788, 4096);
            assertEquals("0000000000001000" + "00007f0000002000" + "55667788" + "00001000",
                HEX.formatHex(seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
            assertEquals(0x1000, iomap.mapOffset());
            assertEquals(4096, iomap.sge().length());
            assertEquals(0xFFFF_FFFFL, new SgeFlyweight().wrap(seg, 8, ByteOrder.BIG_ENDIAN)
                .set(0, 0, 0xFFFF_FFFFL).length());
        }
    }
}
