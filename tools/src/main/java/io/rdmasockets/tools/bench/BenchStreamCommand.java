package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.ProviderOption;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.tools.Units;
import io.rdmasockets.tools.stream.Connection;
import io.rdmasockets.tools.stream.RsocketTransport;
import io.rdmasockets.tools.stream.RstreamPair;
import io.rdmasockets.tools.stream.RstreamResult;
import io.rdmasockets.tools.stream.RstreamSettings;
import io.rdmasockets.tools.stream.SocketTransport;
import io.rdmasockets.tools.stream.Transport;
import io.rdmasockets.verbs.VerbsProvider;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rsock bench-stream}: rstream's loop over rsockets against the same loop over JDK sockets, in one
 * run, side by side with the ratio: 64 B latency (rstream's usec/xfer and round-trip percentiles) and
 * 64 KiB bandwidth (Gb/s). Rounds alternate between the two so that machine noise hits both alike.
 */
@Command(
    name = "bench-stream",
    mixinStandardHelpOptions = true,
    header = "Benchmark rsockets against JDK sockets with rstream's test: 64 B latency, 64 KiB bandwidth.",
    description = {
        "Run rstream's test (see 'rsock stream') with both sides in this process on 127.0.0.1, over rsockets " +
        "on a verbs provider and over JDK sockets (TCP_NODELAY), and print both and the ratio rsocket/socket:",
        "  lat: 64 B, one transfer each way per iteration; usec/xfer as rstream (half a round trip), and the " +
        "round trip's p50/p99 (HdrHistogram);",
        "  bw:  64 KiB, a burst of transfers one way, then back; Gb/s = 10^9 bit/s as rstream. Also over JDK " +
        "sockets that copy every byte through rings of their own as an rsocket's rsend and rrecv do (the " +
        "protocol's copies): what no rsocket engine on a kernel-TCP provider can beat.",
        "Each test warms up, then runs --rounds times per side, alternating; the table shows medians."},
    footer = {"", "Example: rsock bench-stream --provider tcp --rounds 5"})
public final class BenchStreamCommand implements Callable<Integer>
{
    private static final int LATENCY_SIZE = 64;
    private static final int BANDWIDTH_SIZE = 64 * 1024;
    private static final Duration LIMIT = Duration.ofMinutes(10);

    @Mixin
    ProviderOption provider;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5",
        description = "Measured runs per test and side (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--lat-iterations", paramLabel = "N", defaultValue = "20000",
        description = "Round trips per latency run (default: ${DEFAULT-VALUE}).")
    int latencyIterations;

    @Option(names = "--bw-count", paramLabel = "N", defaultValue = "5000",
        description = "64 KiB transfers each way per bandwidth run (default: ${DEFAULT-VALUE}).")
    int bandwidthCount;

    @Option(names = "--blocking", description = "Blocking calls with MSG_WAITALL (rstream -T b) instead of " +
        "rstream's default nonblocking busy loop.")
    boolean blocking;

    @Option(names = "--idle", paramLabel = "MODE", defaultValue = "auto",
        description = "What both sides' nonblocking loops do after an EAGAIN, for both socket layers alike: spin " +
            "(rstream's busy loop), yield, park, or auto = spin on 4+ cores, else yield: two spinning threads " +
            "starve a software provider's own threads on a small machine (default: ${DEFAULT-VALUE}).")
    BenchVerbsCommand.Idle idle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        if (rounds < 1 || latencyIterations < 1 || bandwidthCount < 1)
        {
            throw new ToolException("--rounds, --lat-iterations and --bw-count must be at least 1");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final VerbsProvider p = provider.resolve();
        final Transport rsocket = new RsocketTransport(p);
        final Transport socket = new SocketTransport();
        out.printf(Locale.ROOT, "rsock bench-stream: rstream's test over rsockets (provider '%s') vs JDK sockets, " +
            "both sides in this process on 127.0.0.1; %s; median of %d rounds per side (%d cores)%n%n", p.name(),
            blocking ? "blocking calls (-T b)" : "nonblocking loop (rstream's default), idle: " +
            idle.strategy().name().toLowerCase(Locale.ROOT), rounds, Runtime.getRuntime().availableProcessors());
        out.flush();

        final BenchTable table = new BenchTable(out, "rsocket(" + p.name() + ")", "socket");
        final Side rl = new Side(rsocket);
        final Side sl = new Side(socket);
        measure(LATENCY_SIZE, 1, latencyIterations, rl, sl);
        table.values("usec/xfer", LATENCY_SIZE, rl.median(RstreamResult::usecPerXfer), sl.median(RstreamResult::usecPerXfer));
        table.values("rtt p50 (us)", LATENCY_SIZE, rl.percentileMicros(50), sl.percentileMicros(50));
        table.values("rtt p99 (us)", LATENCY_SIZE, rl.percentileMicros(99), sl.percentileMicros(99));
        final Side rb = new Side(rsocket);
        final Side sb = new Side(socket);
        final Side cb = new Side(new StagedTransport(socket));
        measure(BANDWIDTH_SIZE, bandwidthCount, 1, rb, sb, cb);
        final double rGbits = rb.median(RstreamResult::gbitsPerSecond);
        final double sGbits = sb.median(RstreamResult::gbitsPerSecond);
        final double cGbits = cb.median(RstreamResult::gbitsPerSecond);
        table.values("bw (Gb/s)", BANDWIDTH_SIZE, rGbits, sGbits);
        table.values("bw +copies", BANDWIDTH_SIZE, cGbits, sGbits);

        // The round trip's median, not rstream's mean: one descheduled iteration moves a mean on a shared machine.
        final double latencyRatio = rl.percentileMicros(50) / sl.percentileMicros(50);
        out.println();
        out.println("ratio = rsocket / socket: for latency below 1 means rsockets are faster, for bw above 1.");
        out.printf(Locale.ROOT, "target: latency (rtt p50) within 1.20x of sockets: %s (%s); bandwidth at least " +
            "0.90x: %s (%s)%n",
            latencyRatio <= 1.2 ? "met" : "NOT met", Units.ratioStr(latencyRatio),
            rGbits / sGbits >= 0.9 ? "met" : "NOT met", Units.ratioStr(rGbits / sGbits));
        out.printf(Locale.ROOT, "bw +copies: JDK sockets copying through rings as rsend/rrecv do; rsocket reaches " +
            "%s of that%n", Units.ratioStr(rGbits / cGbits));
        out.printf(Locale.ROOT, "runs (usec/xfer, Gb/s): rsocket lat %s bw %s; socket lat %s bw %s; socket+copies bw %s%n",
            rl.all(RstreamResult::usecPerXfer), rb.all(RstreamResult::gbitsPerSecond),
            sl.all(RstreamResult::usecPerXfer), sb.all(RstreamResult::gbitsPerSecond),
            cb.all(RstreamResult::gbitsPerSecond));
        out.flush();
        return 0;
    }

    /**
     * A full-size warm-up run each (a tenth was too short: the rsocket path is more code than the JDK's, and
     * its first measured round still ran partly interpreted, at half speed), then the rounds, alternating sides.
     */
    private void measure(final int size, final int count, final int iterations, final Side... sides)
    {
        for (final Side side : sides)
        {
            side.run(size, count, iterations, null);
        }
        for (int round = 0; round < rounds; round++)
        {
            for (final Side side : sides)
            {
                side.results[round] = side.run(size, count, iterations, side.roundTrips);
            }
        }
    }

    /** One side's runs of one test. */
    private final class Side
    {
        final Transport transport;
        final RstreamResult[] results = new RstreamResult[rounds];
        final Histogram roundTrips = new Histogram(LatencyResult.HIGHEST_NANOS, 3);

        Side(final Transport transport)
        {
            this.transport = transport;
        }

        RstreamResult run(final int size, final int count, final int iterations, final Histogram histogram)
        {
            final int flags = blocking ? Connection.MSG_WAITALL : Connection.MSG_DONTWAIT;
            final PrintWriter quiet = new PrintWriter(Writer.nullWriter());
            return RstreamPair.run(
                new RstreamSettings().transport(transport).flags(flags).idle(idle.strategy()).transferSize(size)
                    .transferCount(count).iterations(iterations).out(quiet),
                new RstreamSettings().transport(transport).flags(flags).idle(idle.strategy()).transferSize(size)
                    .transferCount(count).iterations(iterations).roundTrips(histogram).out(quiet),
                LIMIT).getFirst();
        }

        double median(final java.util.function.ToDoubleFunction<RstreamResult> metric)
        {
            final double[] values = Arrays.stream(results).mapToDouble(metric).sorted().toArray();
            return values[values.length / 2];
        }

        double percentileMicros(final double percentile)
        {
            return roundTrips.getValueAtPercentile(percentile) / 1e3;
        }

        String all(final java.util.function.ToDoubleFunction<RstreamResult> metric)
        {
            return Arrays.stream(results).mapToDouble(metric)
                .mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
        }
    }
}
