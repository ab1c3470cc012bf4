package io.rdmasockets.tools.verbs;

import io.rdmasockets.tools.ToolException;
import io.rdmasockets.verbs.MemoryRegion;

import java.nio.ByteBuffer;

/**
 * What a peer needs to RDMA-write or -read a memory region, exchanged in the connection manager's
 * private data as rsocket exchanges its receive buffer (wire layout, big-endian, 24 bytes):
 * <pre>
 *  0: magic "RSK1" (u32) | 4: rkey (u32) | 8: address (u64) | 16: length (u64)
 * </pre>
 *
 * @param address the region's virtual address.
 * @param rkey    its remote key.
 * @param length  its length in bytes.
 */
public record RemoteRegion(long address, int rkey, long length)
{
    /** The encoded length in bytes: fits in a connect request's 56 bytes of private data. */
    public static final int LENGTH = 24;
    private static final int MAGIC = 0x52534B31;

    /**
     * @param region a local region.
     * @return what a peer needs to access it.
     */
    public static RemoteRegion of(final MemoryRegion region)
    {
        return new RemoteRegion(region.address(), region.rkey(), region.length());
    }

    /** @return the private data to send. */
    public byte[] encode()
    {
        return ByteBuffer.allocate(LENGTH).putInt(MAGIC).putInt(rkey).putLong(address).putLong(length).array();
    }

    /**
     * @param privateData received private data (zero-padded by the connection manager).
     * @return the region it describes.
     * @throws ToolException when it does not start with a region description.
     */
    public static RemoteRegion decode(final byte[] privateData)
    {
        if (null == privateData || privateData.length < LENGTH)
        {
            throw new ToolException("peer's private data is " + (null == privateData ? 0 : privateData.length) +
                " bytes; expected a " + LENGTH + "-byte region description");
        }
        final ByteBuffer b = ByteBuffer.wrap(privateData);
        final int magic = b.getInt();
        if (MAGIC != magic)
        {
            throw new ToolException(String.format("peer's private data has magic 0x%08x, expected 0x%08x", magic, MAGIC));
        }
        final int rkey = b.getInt();
        final long address = b.getLong();
        return new RemoteRegion(address, rkey, b.getLong());
    }

    @Override
    public String toString()
    {
        return String.format("addr=0x%x rkey=0x%08x len=%d", address, rkey, length);
    }
}
