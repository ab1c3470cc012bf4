package io.rdmasockets.common;

import java.io.IOException;

/**
 * An I/O failure with an errno. The message begins with the symbolic name, e.g.
 * {@code "ECONNREFUSED: connect to 127.0.0.1:7471: Connection refused"}, so logs read like C's perror.
 */
public class ErrnoException extends IOException
{
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * @param errno  the errno value.
     * @param detail what was being done; may be {@code null}.
     */
    public ErrnoException(final Errno errno, final String detail)
    {
        this(errno.code(), detail, null);
    }

    /**
     * @param errno  the errno value.
     * @param detail what was being done; may be {@code null}.
     * @param cause  the underlying failure; may be {@code null}.
     */
    public ErrnoException(final Errno errno, final String detail, final Throwable cause)
    {
        this(errno.code(), detail, cause);
    }

    /**
     * @param errno  the errno number (for numbers {@link Errno} does not name).
     * @param detail what was being done; may be {@code null}.
     * @param cause  the underlying failure; may be {@code null}.
     */
    public ErrnoException(final int errno, final String detail, final Throwable cause)
    {
        super(message(errno, detail), cause);
        this.errno = Math.abs(errno);
    }

    /** @return the errno number. */
    public int errno()
    {
        return errno;
    }

    /** @return the errno constant, or {@code null} when {@link Errno} does not name the number. */
    public Errno errnoConstant()
    {
        return Errno.of(errno);
    }

    private static String message(final int errno, final String detail)
    {
        final Errno e = Errno.of(errno);
        final String name = Errno.nameOf(errno);
        final String text = null == e ? "" : e.description();
        return null == detail ? name + ": " + text : name + ": " + detail + ": " + text;
    }
}
