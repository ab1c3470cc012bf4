package io.rdmasockets.provider.ibverbs.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static io.rdmasockets.provider.ibverbs.internal.abi.LibcDescriptors.*;

/** {@code struct sockaddr_in}/{@code sockaddr_in6} to and from {@link InetSocketAddress}. */
final class SockAddr
{
    private static final ValueLayout.OfShort BE_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT;

    private SockAddr()
    {
    }

    /**
     * @param address a resolved address.
     * @param arena   owns the result.
     * @return the C socket address.
     */
    static MemorySegment of(final InetSocketAddress address, final Arena arena)
    {
        final InetAddress ip = address.getAddress();
        if (ip instanceof Inet4Address)
        {
            final MemorySegment sa = arena.allocate(SOCKADDR_IN);
            sa.set(SHORT, SIN_FAMILY, (short)AF_INET);
            sa.set(BE_SHORT, SIN_PORT, (short)address.getPort());
            MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, SIN_ADDR, 4);
            return sa;
        }
        final MemorySegment sa = arena.allocate(SOCKADDR_IN6);
        sa.set(SHORT, SIN_FAMILY, (short)AF_INET6);
        sa.set(BE_SHORT, SIN6_PORT, (short)address.getPort());
        MemorySegment.copy(ip.getAddress(), 0, sa, ValueLayout.JAVA_BYTE, SIN6_ADDR, 16);
        sa.set(ValueLayout.JAVA_INT, SIN6_SCOPE_ID, ((Inet6Address)ip).getScopeId());
        return sa;
    }

    /**
     * @param storage a {@code struct sockaddr_storage} (or larger).
     * @return the address, or {@code null} when it is unset or not an IP address (e.g. AF_IB).
     */
    static InetSocketAddress read(final MemorySegment storage)
    {
        final int family = storage.get(SHORT, SIN_FAMILY) & 0xFFFF;
        try
        {
            if (AF_INET == family)
            {
                final byte[] ip = new byte[4];
                MemorySegment.copy(storage, ValueLayout.JAVA_BYTE, SIN_ADDR, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), storage.get(BE_SHORT, SIN_PORT) & 0xFFFF);
            }
            if (AF_INET6 == family)
            {
                final byte[] ip = new byte[16];
                MemorySegment.copy(storage, ValueLayout.JAVA_BYTE, SIN6_ADDR, ip, 0, 16);
                final int scope = storage.get(ValueLayout.JAVA_INT, SIN6_SCOPE_ID);
                final InetAddress address = 0 == scope ? InetAddress.getByAddress(ip)
                    : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(address, storage.get(BE_SHORT, SIN6_PORT) & 0xFFFF);
            }
            return null;
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException("a 4- or 16-byte address is always valid", e);
        }
    }
}
