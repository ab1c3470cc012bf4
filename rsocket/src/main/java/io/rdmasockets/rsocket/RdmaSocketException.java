package io.rdmasockets.rsocket;

import java.net.SocketException;

/**
 * {@link SocketException} with an errno: a socket operation failed. The message starts with the errno name, e.g.
 * {@code "ECONNREFUSED: connect to 127.0.0.1:7471: Connection refused"}.
 */
public final class RdmaSocketException extends SocketException implements ErrnoCarrier
{
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param errno  the errno number.
     * @param detail what was being done; may be {@code null}.
     */
    public RdmaSocketException(final int errno, final String detail)
    {
        this(errno, detail, null);
    }

    /**
     * @param errno  the errno number.
     * @param detail what was being done; may be {@code null}.
     * @param cause  the underlying failure; may be {@code null}.
     */
    public RdmaSocketException(final int errno, final String detail, final Throwable cause)
    {
        super(Errors.message(errno, detail));
        this.errno = Math.abs(errno);
        if (null != cause)
        {
            initCause(cause);
        }
    }

    @Override
    public int errno()
    {
        return errno;
    }
}
