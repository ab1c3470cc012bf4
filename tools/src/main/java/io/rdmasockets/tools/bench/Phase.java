package io.rdmasockets.tools.bench;

import java.time.Duration;

/**
 * How long a benchmark phase runs: a duration, or a number of iterations when one is given.
 *
 * @param duration   wall-clock length, used when {@code iterations} is 0.
 * @param iterations round trips or messages; 0 to run for the duration.
 */
public record Phase(Duration duration, long iterations)
{
    /**
     * @param startNanos {@link System#nanoTime()} at the phase's start.
     * @param done       iterations done so far.
     * @return true while the phase should go on.
     */
    public boolean running(final long startNanos, final long done)
    {
        return iterations > 0 ? done < iterations : System.nanoTime() - startNanos < duration.toNanos();
    }

    /** @return true when the phase does nothing (a zero warm-up). */
    public boolean isEmpty()
    {
        return 0 == iterations && duration.isZero();
    }
}
