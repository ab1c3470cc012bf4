package io.rdmasockets.nio.channels;

import io.rdmasockets.common.Errno;
import io.rdmasockets.nio.Router;

import java.net.InetSocketAddress;

/**
 * What a routed socket logs ({@code -Drdmasockets.debug=true}, or the {@code io.rdmasockets.nio} logger at
 * DEBUG), and which connect failures fall back to TCP.
 */
final class Routing
{
    /** System property that logs every routing decision at INFO. */
    static final String DEBUG_PROP_NAME = "rdmasockets.debug";

    private static final System.Logger LOG = System.getLogger("io.rdmasockets.nio");
    private static final boolean DEBUG = Boolean.getBoolean(DEBUG_PROP_NAME);

    private Routing()
    {
    }

    /**
     * @param errno a failed rsocket connect's errno.
     * @return whether TCP may still reach the destination: no RDMA device or route to it
     *         ({@code ENODEV}, {@code EADDRNOTAVAIL}, {@code ENETUNREACH}, {@code EHOSTUNREACH}), nothing
     *         listening for rsockets ({@code ECONNREFUSED}, {@code ECONNRESET}), or no answer
     *         ({@code ETIMEDOUT}).
     */
    static boolean fallsBack(final int errno)
    {
        final Errno e = Errno.of(errno);
        return Errno.ENODEV == e || Errno.EADDRNOTAVAIL == e || Errno.ENETUNREACH == e || Errno.EHOSTUNREACH == e ||
            Errno.ECONNREFUSED == e || Errno.ECONNRESET == e || Errno.ETIMEDOUT == e;
    }

    static void decided(final Router router, final Router.Operation operation, final InetSocketAddress address,
        final String stack)
    {
        final System.Logger.Level level = DEBUG ? System.Logger.Level.INFO : System.Logger.Level.DEBUG;
        if (LOG.isLoggable(level))
        {
            final String why = router.describe(operation, address);
            LOG.log(level, operation + " " + format(address) + " -> " + stack + (null == why ? "" : " (" + why + ")"));
        }
    }

    static void fellBack(final Router.Operation operation, final InetSocketAddress address, final String why)
    {
        LOG.log(System.Logger.Level.INFO, operation + " " + format(address) + " -> rsocket failed (" + why +
            "), falling back to TCP");
    }

    private static String format(final InetSocketAddress address)
    {
        if (null == address || address.isUnresolved())
        {
            return String.valueOf(address);
        }
        final String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof java.net.Inet6Address ? "[" + host + "]" : host) + ":" +
            address.getPort();
    }
}
