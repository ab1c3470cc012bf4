package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;

/**
 * An exception that knows the errno C's rsocket would have set, so code ported from C can branch on it
 * while Java code catches the usual {@code java.net} types.
 */
public interface ErrnoCarrier
{
    /** @return the Linux errno number, e.g. 111 for {@code ECONNREFUSED}. */
    int errno();

    /** @return the symbolic name, e.g. {@code "ECONNREFUSED"}. */
    default String errnoName()
    {
        return Errno.nameOf(errno());
    }
}
