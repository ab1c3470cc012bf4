package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketException;

/** Maps errno values to the {@code java.net} exception types, as the JDK's own socket implementation does. */
final class Errors
{
    private Errors()
    {
    }

    /**
     * @param errno  an errno number.
     * @param detail what was being done; may be {@code null}.
     * @return {@code "NAME: detail: description"}, the format of {@link ErrnoException}.
     */
    static String message(final int errno, final String detail)
    {
        final Errno e = Errno.of(errno);
        final String name = Errno.nameOf(Math.abs(errno));
        final String text = null == e ? "" : ": " + e.description();
        return null == detail ? name + text : name + ": " + detail + text;
    }

    /**
     * @param errno  a positive errno.
     * @param detail what was being done.
     * @param cause  the engine's exception, or {@code null}.
     * @return the exception for a failure outside connect.
     */
    static SocketException socket(final int errno, final String detail, final Throwable cause)
    {
        final Errno e = Errno.of(errno);
        if (Errno.EADDRINUSE == e || Errno.EADDRNOTAVAIL == e)
        {
            return new RdmaBindException(errno, detail, cause);
        }
        if (Errno.ECONNREFUSED == e)
        {
            return new RdmaConnectException(errno, detail, cause);
        }
        return new RdmaSocketException(errno, detail, cause);
    }

    /**
     * @param cause  the engine's exception.
     * @param detail what was being done.
     * @return the exception for a failure outside connect.
     */
    static SocketException socket(final ErrnoException cause, final String detail)
    {
        return socket(cause.errno(), detail, cause);
    }

    /**
     * @param cause  the engine's exception.
     * @param detail what was being done.
     * @return {@link RdmaConnectException} when the peer could not be reached, as {@code java.net} reports.
     */
    static SocketException connect(final ErrnoException cause, final String detail)
    {
        final Errno e = Errno.of(cause.errno());
        if (Errno.ECONNREFUSED == e || Errno.ETIMEDOUT == e || Errno.EHOSTUNREACH == e || Errno.ENETUNREACH == e)
        {
            return new RdmaConnectException(cause.errno(), detail, cause);
        }
        return socket(cause, detail);
    }

    /** @return {@code EBADF: socket is closed}. */
    static RdmaSocketException closed()
    {
        return new RdmaSocketException(Errno.EBADF.code(), "socket is closed");
    }

    /**
     * @param address an address.
     * @return {@code 127.0.0.1:7471} or {@code [::1]:7471}, without the host name.
     */
    static String format(final InetSocketAddress address)
    {
        if (null == address || address.isUnresolved())
        {
            return String.valueOf(address);
        }
        final String host = address.getAddress().getHostAddress();
        return (address.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
