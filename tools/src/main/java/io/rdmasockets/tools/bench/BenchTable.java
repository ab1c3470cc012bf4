package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.Units;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The side-by-side table of the benchmarks: one row per metric and size, the provider's number, the
 * JDK's, and their ratio (provider / JDK). Rows are printed as results arrive.
 */
final class BenchTable
{
    private static final String ROW = "%-15s %6s %16s %12s %9s%n";
    private final PrintWriter out;

    BenchTable(final PrintWriter out, final String providerName)
    {
        this(out, "provider(" + providerName + ")", "jdk-nio");
    }

    /**
     * @param out   where the table goes.
     * @param left  the heading of the measured side's column.
     * @param right the heading of the baseline's column.
     */
    BenchTable(final PrintWriter out, final String left, final String right)
    {
        this.out = out;
        out.printf(Locale.ROOT, ROW, "test", "size", left, right, "ratio");
    }

    /**
     * Prints one row of two numbers with two decimals and their ratio (left / right).
     *
     * @param test  the metric, e.g. {@code "bw (Gb/s)"}.
     * @param size  message size.
     * @param left  the measured side's number.
     * @param right the baseline's number.
     */
    void values(final String test, final long size, final double left, final double right)
    {
        out.printf(Locale.ROOT, ROW, test, Units.sizeStr(size), String.format(Locale.ROOT, "%.2f", left),
            String.format(Locale.ROOT, "%.2f", right), Units.ratioStr(left / right));
        out.flush();
    }

    /**
     * Prints the latency rows: p50, p99, p99.9 and mean round trip in microseconds.
     *
     * @param size     message size.
     * @param provider the provider's result.
     * @param jdk      the JDK's result.
     */
    void latency(final long size, final LatencyResult provider, final LatencyResult jdk)
    {
        row("lat p50 (us)", size, provider.percentileNanos(50), jdk.percentileNanos(50));
        row("lat p99 (us)", size, provider.percentileNanos(99), jdk.percentileNanos(99));
        row("lat p99.9 (us)", size, provider.percentileNanos(99.9), jdk.percentileNanos(99.9));
        row("lat mean (us)", size, provider.meanNanos(), jdk.meanNanos());
        out.flush();
    }

    /**
     * Prints the bandwidth row in Gb/s (10^9 bit/s, as rstream).
     *
     * @param size     message size.
     * @param provider the provider's result.
     * @param jdk      the JDK's result.
     */
    void bandwidth(final long size, final ThroughputResult provider, final ThroughputResult jdk)
    {
        values("bw (Gb/s)", size, provider.gbitsPerSecond(), jdk.gbitsPerSecond());
    }

    private void row(final String test, final long size, final double providerNanos, final double jdkNanos)
    {
        out.printf(Locale.ROOT, ROW, test, Units.sizeStr(size), Units.micros(providerNanos), Units.micros(jdkNanos),
            Units.ratioStr(providerNanos / jdkNanos));
    }
}
