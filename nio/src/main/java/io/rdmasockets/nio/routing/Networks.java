package io.rdmasockets.nio.routing;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** CIDR parsing for the rule files: literal addresses only (no name lookups while reading rules). */
final class Networks
{
    private Networks()
    {
    }

    /** A parsed network: address bytes and prefix length. */
    record Network(byte[] address, int prefix)
    {
    }

    /**
     * @param text   {@code 10.0.0.0/8}, {@code 10.0.0.1} (a host: /32), {@code fd00::/8}, {@code [::1]}.
     * @param source the file name.
     * @param line   the line.
     * @return the network.
     * @throws RuleFileException when it is not an address, the prefix is out of range, or host bits are set.
     */
    static Network parse(final String text, final String source, final int line) throws RuleFileException
    {
        final int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (host.startsWith("[") && host.endsWith("]"))
        {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !isLiteral(host))
        {
            throw new RuleFileException(source, line, "'" + text + "' is not an IPv4 or IPv6 address or CIDR");
        }
        final InetAddress ia;
        try
        {
            ia = Rule.unmapped(InetAddress.getByName(host));
        }
        catch (final UnknownHostException e)
        {
            throw new RuleFileException(source, line, "'" + text + "' is not an IPv4 or IPv6 address or CIDR", e);
        }
        final int max = ia instanceof Inet4Address ? 32 : 128;
        int prefix = max;
        if (slash >= 0)
        {
            final String p = text.substring(slash + 1);
            try
            {
                prefix = Integer.parseInt(p);
            }
            catch (final NumberFormatException e)
            {
                throw new RuleFileException(source, line, "prefix '" + p + "' of '" + text + "' is not a number");
            }
            if (prefix < 0 || prefix > max)
            {
                throw new RuleFileException(source, line, "prefix /" + prefix + " of '" + text + "' is outside 0.." + max);
            }
        }
        return new Network(ia.getAddress(), prefix);
    }

    /** @return the network with the host bits cleared (DMM writes 192.168.1.1/24 and means 192.168.1.0/24). */
    static Network masked(final Network n)
    {
        final byte[] a = n.address().clone();
        int bits = n.prefix();
        for (int i = 0; i < a.length; i++, bits -= 8)
        {
            a[i] = (byte)(bits >= 8 ? a[i] : bits <= 0 ? 0 : a[i] & (0xFF << (8 - bits)));
        }
        return new Network(a, n.prefix());
    }

    /** @return whether the network has bits set past its prefix. */
    static boolean hasHostBits(final Network n)
    {
        return !java.util.Arrays.equals(n.address(), masked(n).address());
    }

    private static boolean isLiteral(final String host)
    {
        // Digits and dots (IPv4), or hex digits and colons (IPv6, possibly ending in a dotted quad): never a name.
        return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':') &&
            (host.indexOf(':') >= 0 || host.chars().allMatch(c -> Character.isDigit(c) || c == '.'));
    }
}
