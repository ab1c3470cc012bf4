package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.Units;

/**
 * One rstream test's outcome: one row of its table.
 *
 * @param name          e.g. {@code "64_lat"}, {@code "1m_bw"} or {@code "custom"}.
 * @param size          bytes per transfer.
 * @param transferCount transfers per iteration and direction.
 * @param iterations    iterations.
 * @param nanos         the timed loop's wall-clock time.
 */
public record RstreamResult(String name, int size, int transferCount, int iterations, long nanos)
{
    /** @return the row, as rstream prints it. */
    public String row()
    {
        return Units.rstreamRow(name, size, transferCount, iterations, nanos);
    }

    /** @return rstream's Gb/sec. */
    public double gbitsPerSecond()
    {
        return Units.rstreamGbits(Units.rstreamTotal(size, transferCount, iterations), nanos);
    }

    /** @return rstream's usec/xfer. */
    public double usecPerXfer()
    {
        return Units.rstreamUsecPerXfer(transferCount, iterations, nanos);
    }
}
