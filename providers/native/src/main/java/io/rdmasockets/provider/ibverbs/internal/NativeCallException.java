package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;

/** A libibverbs/librdmacm call failed; carries the function and the errno it set. */
final class NativeCallException extends Exception
{
    private static final long serialVersionUID = 1L;

    private final int errno;

    NativeCallException(final String function, final int errno)
    {
        super(function + " failed: " + Errno.nameOf(errno) + " (" + errno + ")");
        this.errno = errno;
    }

    int errno()
    {
        return errno;
    }
}
