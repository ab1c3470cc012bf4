package io.rdmasockets.rsocket.posix;

/** The thread-local {@code errno} of the facade: set by a failing call, left alone by a succeeding one, as C. */
final class Errnos
{
    private static final ThreadLocal<int[]> ERRNO = ThreadLocal.withInitial(() -> new int[1]);

    private Errnos()
    {
    }

    /**
     * @param errno a positive errno.
     * @return -1, C's failure result.
     */
    static int fail(final int errno)
    {
        ERRNO.get()[0] = errno;
        return -1;
    }

    /**
     * @param status 0, a non-negative result, or a negative errno from the engine.
     * @return the result, or -1 with errno set.
     */
    static int result(final int status)
    {
        return status < 0 ? fail(-status) : status;
    }

    /**
     * @param status a non-negative result, or a negative errno from the engine.
     * @return the result, or -1 with errno set.
     */
    static long result(final long status)
    {
        return status < 0 ? fail((int)-status) : status;
    }

    static int get()
    {
        return ERRNO.get()[0];
    }

    static void set(final int errno)
    {
        ERRNO.get()[0] = errno;
    }
}
