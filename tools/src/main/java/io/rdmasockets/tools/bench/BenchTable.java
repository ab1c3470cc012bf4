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
        this.out = out;
        out.printf(Locale.ROOT, ROW, "test", "size", "provider(" + providerName + ")", "jdk-nio", "ratio");
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
        final double p = provider.gbitsPerSecond();
        final double j = jdk.gbitsPerSecond();
        out.printf(Locale.ROOT, ROW, "bw (Gb/s)", Units.sizeStr(size), String.format(Locale.ROOT, "%.2f", p),
            String.format(Locale.ROOT, "%.2f", j), Units.ratioStr(p / j));
        out.flush();
    }

    private void row(final String test, final long size, final double providerNanos, final double jdkNanos)
    {
        out.printf(Locale.ROOT, ROW, test, Units.sizeStr(size), Units.micros(providerNanos), Units.micros(jdkNanos),
            Units.ratioStr(providerNanos / jdkNanos));
    }
}
