package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.*;

/** Our connection data as C formats it, and the checks on the peer's that C does not make. */
class ConnDataTest
{
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldFormatAsRsFormatConnData()
    {
        final byte[] bytes = ConnData.format(384, 1, 0x7f0012345000L, 0x1122, 0x7f0000001000L, 0xabcdef01, 65536);
        assertEquals("01" + "02" + "0180" + "000000" + "01" + "00007f0012345000" + "00001122" + "00000002" +
            "00007f0000001000" + "abcdef01" + "00010000", HEX.formatHex(bytes));
    }

    @Test
    void shouldReadBackWhatWasFormattedAndTheNetFlag() throws Exception
    {
        final byte[] bytes = ConnData.format(384, 0, 0x1000, 7, 0x2000, 8, 4096);
        ConnData.Peer peer = ConnData.Peer.parse(padded(bytes));
        assertEquals(new ConnData.Peer(0x1000, 7, 2, false, 0x2000, 8, 4096, 384, 0), peer);
        bytes[1] |= 1;   // RS_CONN_FLAG_NET: the peer keeps its SGL big-endian
        peer = ConnData.Peer.parse(bytes);
        assertTrue(peer.bigEndian());
    }

    @Test
    void shouldLocateThePeersIomapTableAfterItsTargetSgl() throws Exception
    {
        final ConnData.Peer peer = ConnData.Peer.parse(ConnData.format(384, 512, 0x1000, 7, 0x2000, 8, 4096));
        assertEquals(512, peer.iomapEntries(), "scale 0x82 decodes to 2 << 8");
        assertEquals(0x1000 + 2 * 16, peer.iomapAddress(), "the table follows the 2 rs_sge entries");
        final byte[] noFlag = ConnData.format(384, 4, 0x1000, 7, 0x2000, 8, 4096);
        noFlag[1] &= ~2;   // no RS_CONN_FLAG_IOMAP: a peer from before iomaps takes none, whatever the size byte
        assertEquals(0, ConnData.Peer.parse(noFlag).iomapEntries());
    }

    @Test
    void shouldRefuseWhatCWouldTrustBlindly()
    {
        final byte[] good = ConnData.format(16, 0, 0x1000, 7, 0x2000, 8, 4096);
        assertErrno(Errno.EPROTO, new byte[39]);
        final byte[] version = good.clone();
        version[0] = 2;
        assertErrno(Errno.EOPNOTSUPP, version);
        final byte[] noSgl = good.clone();
        noSgl[23] = 0;                    // target_sgl.length = 0: C would take a modulo by zero
        assertErrno(Errno.EPROTO, noSgl);
        final byte[] hugeSgl = good.clone();
        hugeSgl[23] = 65;
        assertErrno(Errno.EPROTO, hugeSgl);
        final byte[] noBuffer = good.clone();
        noBuffer[38] = 0;
        noBuffer[39] = 0;
        assertErrno(Errno.EPROTO, noBuffer);
        final byte[] noCredits = good.clone();
        noCredits[2] = 0;
        noCredits[3] = 0;
        assertErrno(Errno.EPROTO, noCredits);
        assertErrno(Errno.EOPNOTSUPP, new byte[56]);   // a zero-padded request with no data at all
    }

    private static byte[] padded(final byte[] connData)
    {
        return java.util.Arrays.copyOf(connData, 56);
    }

    private static void assertErrno(final Errno expected, final byte[] data)
    {
        final ErrnoException e = assertThrows(ErrnoException.class, () -> ConnData.Peer.parse(data));
        assertEquals(expected.code(), e.errno(), e.getMessage());
    }
}
