package io.rdmasockets.tools.bench;

import org.HdrHistogram.Histogram;

/**
 * Round-trip times of one ping-pong run.
 *
 * @param histogram the measured round trips in nanoseconds (warm-up excluded).
 * @param nanos     the measured phase's wall-clock time.
 */
public record LatencyResult(Histogram histogram, long nanos)
{
    /** Highest recordable round trip; longer ones are clamped (and a run that slow is broken anyway). */
    public static final long HIGHEST_NANOS = 10_000_000_000L;

    /** @return a histogram for round trips in nanoseconds, 3 significant digits. */
    public static Histogram newHistogram()
    {
        return new Histogram(HIGHEST_NANOS, 3);
    }

    /** @return round trips measured. */
    public long count()
    {
        return histogram.getTotalCount();
    }

    /**
     * @param percentile e.g. 99.9.
     * @return that percentile in nanoseconds.
     */
    public double percentileNanos(final double percentile)
    {
        return histogram.getValueAtPercentile(percentile);
    }

    /** @return the mean in nanoseconds. */
    public double meanNanos()
    {
        return histogram.getMean();
    }
}
