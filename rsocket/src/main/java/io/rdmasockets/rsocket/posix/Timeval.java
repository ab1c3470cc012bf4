package io.rdmasockets.rsocket.posix;

/**
 * C's {@code struct timeval}, {@link Rsockets#rselect}'s timeout; {@code null} there waits without limit.
 *
 * @param sec  seconds.
 * @param usec microseconds, 0 to 999999.
 */
public record Timeval(long sec, long usec)
{
    /**
     * @return the timeout in milliseconds, rounded up so that a non-zero timeout always waits, at most
     *         {@link Integer#MAX_VALUE} (24 days).
     */
    long toMillisRoundedUp()
    {
        if (sec > Integer.MAX_VALUE / 1000)
        {
            return Integer.MAX_VALUE;
        }
        return Math.min(Integer.MAX_VALUE, sec * 1000L + (usec + 999) / 1000);
    }
}
