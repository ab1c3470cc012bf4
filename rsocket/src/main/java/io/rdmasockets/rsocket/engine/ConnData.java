package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.protocol.ConnDataDescriptor;
import io.rdmasockets.rsocket.protocol.ConnDataFlyweight;
import io.rdmasockets.rsocket.protocol.SgeDescriptor;
import io.rdmasockets.rsocket.protocol.SgeFlyweight;

import java.lang.foreign.MemorySegment;

/**
 * The 40-byte {@code rs_conn_data} each side sends in the connect request or the accept (wire-protocol
 * doc section 1.3): {@link #format} builds ours, {@link Peer#parse} checks and reads the peer's.
 */
final class ConnData
{
    /** The most target SGL entries a peer may announce (C always announces 2). */
    static final int MAX_PEER_SGL_ENTRIES = 64;

    private ConnData()
    {
    }

    /**
     * {@code rs_format_conn_data}. Our target SGL and iomap are little-endian, so NET stays clear.
     *
     * @param credits     our receive queue size.
     * @param iomapSize   iomap entries we accept.
     * @param sglAddress  our target SGL array.
     * @param sglKey      its rkey.
     * @param ringAddress our receive ring.
     * @param ringKey     its rkey.
     * @param halfLength  half the ring: the first buffer the peer may write.
     * @return the 40 bytes.
     */
    static byte[] format(final int credits, final int iomapSize, final long sglAddress, final int sglKey,
        final long ringAddress, final int ringKey, final int halfLength)
    {
        final byte[] bytes = new byte[ConnDataDescriptor.LENGTH];
        final ConnDataFlyweight cd = new ConnDataFlyweight().wrap(MemorySegment.ofArray(bytes), 0);
        cd.version(ConnDataDescriptor.VERSION).flags(ConnDataDescriptor.FLAG_IOMAP).credits(credits).clearReserved()
            .targetIomapSizeScale(ConnDataDescriptor.iomapSizeToScale(iomapSize));
        cd.targetSgl().set(sglAddress, sglKey, SgeDescriptor.SGL_SIZE);
        cd.dataBuf().set(ringAddress, ringKey, halfLength);
        return bytes;
    }

    /**
     * The peer's connection data, checked where C trusts it blindly: version 1, a target SGL of 1 to
     * {@value #MAX_PEER_SGL_ENTRIES} entries (C divides by it), a non-empty first buffer, some credits.
     *
     * @param sglAddress  the peer's target SGL array.
     * @param sglKey      its rkey.
     * @param sglEntries  its entries.
     * @param bigEndian   the peer set {@code RS_CONN_FLAG_NET}: write SGEs to it big-endian.
     * @param bufAddress  the peer's first receive buffer.
     * @param bufKey      its rkey.
     * @param bufLength   its length.
     * @param credits     the peer's receive queue size.
     * @param iomapEntries iomap entries the peer accepts from us ({@code target_iomap_size}); 0 when it did
     *                     not set {@code RS_CONN_FLAG_IOMAP}. Its table follows its target SGL (section 3).
     */
    record Peer(long sglAddress, int sglKey, int sglEntries, boolean bigEndian, long bufAddress, int bufKey,
        long bufLength, int credits, int iomapEntries)
    {
        /** @return where the peer's iomap table starts: right after its target SGL, in the same region. */
        long iomapAddress()
        {
            return sglAddress + (long)SgeDescriptor.LENGTH * sglEntries;
        }

        /**
         * {@code rs_save_conn_data}'s reading, with checks.
         *
         * @param privateData the CM private data (providers pad it with zeros).
         * @return the peer's data.
         * @throws ErrnoException {@code EOPNOTSUPP} for another version, {@code EPROTO} for unusable data.
         */
        static Peer parse(final byte[] privateData) throws ErrnoException
        {
            if (privateData.length < ConnDataDescriptor.LENGTH)
            {
                throw new ErrnoException(Errno.EPROTO, "connection data of " + privateData.length + " bytes");
            }
            final ConnDataFlyweight cd = new ConnDataFlyweight().wrap(MemorySegment.ofArray(privateData), 0);
            if (ConnDataDescriptor.VERSION != cd.version())
            {
                throw new ErrnoException(Errno.EOPNOTSUPP, "rsocket protocol version " + cd.version());
            }
            final SgeFlyweight sgl = cd.targetSgl();
            final long sglEntries = sgl.length();
            if (sglEntries < 1 || sglEntries > MAX_PEER_SGL_ENTRIES)
            {
                throw new ErrnoException(Errno.EPROTO, "peer target SGL of " + sglEntries + " entries");
            }
            final long sglAddress = sgl.address();
            final int sglKey = sgl.key();
            final SgeFlyweight buf = cd.dataBuf();
            final long bufLength = buf.length();
            if (bufLength < 1 || 0 == cd.credits())
            {
                throw new ErrnoException(Errno.EPROTO, "peer buffer of " + bufLength + " bytes, " + cd.credits() +
                    " credits");
            }
            final int iomapEntries = 0 != (cd.flags() & ConnDataDescriptor.FLAG_IOMAP) ?
                ConnDataDescriptor.scaleToIomapSize(cd.targetIomapSizeScale()) : 0;
            return new Peer(sglAddress, sglKey, (int)sglEntries, 0 != (cd.flags() & ConnDataDescriptor.FLAG_NET),
                buf.address(), buf.key(), bufLength, cd.credits(), iomapEntries);
        }
    }
}
