package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Addresses going into the facade, checked against the socket's family as Linux checks a {@code sockaddr}: an
 * IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) is used as the IPv4 address it maps; a {@code PF_INET6} socket
 * takes IPv4 addresses as mapped ones (unless {@code IPV6_V6ONLY}); a {@code PF_INET} socket refuses IPv6 ones.
 */
final class Addresses
{
    private Addresses()
    {
    }

    /**
     * @param domain  the socket's family.
     * @param address the address given.
     * @return the address to use, or {@code null} with errno set: {@code EFAULT} for none, {@code EINVAL} for an
     *         unresolved one (pass numeric addresses, as to C), {@code EAFNOSUPPORT} for IPv6 on {@code PF_INET}.
     */
    static InetSocketAddress check(final int domain, final InetSocketAddress address)
    {
        if (null == address)
        {
            Errnos.set(Errno.EFAULT.code());
            return null;
        }
        if (address.isUnresolved())
        {
            Errnos.set(Errno.EINVAL.code());
            return null;
        }
        final InetSocketAddress a = unmapped(address);
        if (RsocketConstants.AF_INET == domain && a.getAddress() instanceof Inet6Address)
        {
            Errnos.set(Errno.EAFNOSUPPORT.code());
            return null;
        }
        return a;
    }

    /** @return the address with an IPv4-mapped IPv6 address replaced by its IPv4 address. */
    static InetSocketAddress unmapped(final InetSocketAddress address)
    {
        if (!(address.getAddress() instanceof Inet6Address v6))
        {
            return address;
        }
        final byte[] b = v6.getAddress();
        for (int i = 0; i < 10; i++)
        {
            if (0 != b[i])
            {
                return address;
            }
        }
        if ((byte)0xFF != b[10] || (byte)0xFF != b[11])
        {
            return address;
        }
        try
        {
            final InetAddress v4 = Inet4Address.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
            return new InetSocketAddress(v4, address.getPort());
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException("4 bytes are always an IPv4 address", e);
        }
    }

    /**
     * @param domain the socket's family.
     * @return the wildcard address of that family, port 0: what getsockname reports for an unbound socket.
     */
    static InetSocketAddress any(final int domain)
    {
        try
        {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[RsocketConstants.AF_INET6 == domain ? 16 : 4]),
                0);
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }
}
