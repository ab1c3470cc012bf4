package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.Units;

/**
 * One streaming run's measured phase.
 *
 * @param messages messages sent.
 * @param bytes    bytes sent (and, checked, received).
 * @param nanos    from the first send to the receiver having everything.
 */
public record ThroughputResult(long messages, long bytes, long nanos)
{
    /** @return rstream's Gb/s (10^9 bit/s). */
    public double gbitsPerSecond()
    {
        return Units.gbitsPerSecond(bytes, nanos);
    }
}
