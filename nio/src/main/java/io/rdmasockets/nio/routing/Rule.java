package io.rdmasockets.nio.routing;

import io.rdmasockets.nio.Router;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One routing rule: the stack for sockets whose operation, address (a CIDR network) and port match. Matching
 * allocates nothing for IPv4 addresses.
 *
 * @param rsocket   the stack: true for rsockets, false for kernel TCP.
 * @param plainTcp  for a server socket routed to rsockets, whether plain TCP clients share its port.
 * @param operation the operation it applies to, or null for any.
 * @param network   the network's address bytes (4 or 16), or null for any address of either family.
 * @param prefix    the prefix length; -1 for a rule below every address rule (DMM's prot_route).
 * @param lowPort   the lowest port.
 * @param highPort  the highest port.
 * @param source    {@code file:line}.
 * @param text      the rule as written, for logs.
 */
public record Rule(boolean rsocket, boolean plainTcp, Router.Operation operation, byte[] network, int prefix, int lowPort,
    int highPort, String source, String text)
{
    /**
     * @param op      the socket's operation.
     * @param address its address.
     * @return whether this rule applies.
     */
    public boolean matches(final Router.Operation op, final InetSocketAddress address)
    {
        if (null != operation && operation != op)
        {
            return false;
        }
        final int port = address.getPort();
        if (port < lowPort || port > highPort)
        {
            return false;
        }
        if (null == network)
        {
            return true;
        }
        final InetAddress ia = unmapped(address.getAddress());
        if (ia instanceof Inet4Address v4)
        {
            if (4 != network.length)
            {
                return false;
            }
            if (0 == prefix)
            {
                return true;
            }
            // Inet4Address.hashCode is the address as an int: no array copied per lookup.
            final int mask = -1 << (32 - prefix);
            final int net = (network[0] & 0xFF) << 24 | (network[1] & 0xFF) << 16 | (network[2] & 0xFF) << 8 |
                network[3] & 0xFF;
            return (v4.hashCode() & mask) == (net & mask);
        }
        if (!(ia instanceof Inet6Address) || 16 != network.length)
        {
            return false;
        }
        final byte[] a = ia.getAddress();
        int bits = prefix;
        for (int i = 0; i < 16 && bits > 0; i++, bits -= 8)
        {
            final int mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((a[i] & mask) != (network[i] & mask))
            {
                return false;
            }
        }
        return true;
    }

    /** @return an IPv4-mapped IPv6 address as the IPv4 address it carries (Java shows most of them so already). */
    static InetAddress unmapped(final InetAddress ia)
    {
        if (ia instanceof Inet6Address v6)
        {
            final byte[] a = v6.getAddress();
            boolean mapped = (a[10] & 0xFF) == 0xFF && (a[11] & 0xFF) == 0xFF;
            for (int i = 0; i < 10 && mapped; i++)
            {
                mapped = 0 == a[i];
            }
            if (mapped)
            {
                try
                {
                    return InetAddress.getByAddress(new byte[] {a[12], a[13], a[14], a[15]});
                }
                catch (final java.net.UnknownHostException e)
                {
                    throw new IllegalStateException(e);
                }
            }
        }
        return ia;
    }

    /** @return how specific the port range is: narrower first. */
    int portSpan()
    {
        return highPort - lowPort;
    }

    @Override
    public String toString()
    {
        return source + " " + text;
    }
}
