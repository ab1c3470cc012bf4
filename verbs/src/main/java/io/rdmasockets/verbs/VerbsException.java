package io.rdmasockets.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;

/** A failed control-path verbs or connection-manager call, with the errno the verb reported. */
public class VerbsException extends ErrnoException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param errno  what went wrong.
     * @param detail the call and its arguments.
     */
    public VerbsException(final Errno errno, final String detail)
    {
        super(errno, detail);
    }

    /**
     * @param errno  what went wrong.
     * @param detail the call and its arguments.
     * @param cause  the underlying failure.
     */
    public VerbsException(final Errno errno, final String detail, final Throwable cause)
    {
        super(errno, detail, cause);
    }

    /**
     * @param errno  an errno number, e.g. from a native call.
     * @param detail the call and its arguments.
     */
    public VerbsException(final int errno, final String detail)
    {
        super(errno, detail, null);
    }
}
