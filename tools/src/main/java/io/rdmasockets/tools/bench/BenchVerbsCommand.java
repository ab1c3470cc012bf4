package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.DurationConverter;
import io.rdmasockets.tools.ProviderOption;
import io.rdmasockets.tools.SizeConverter;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.tools.Units;
import io.rdmasockets.tools.verbs.IdleStrategy;
import io.rdmasockets.verbs.VerbsProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code rsock bench-verbs}: a provider's verbs against JDK NIO sockets on loopback, in one run, with
 * both numbers and their ratio side by side: ping-pong latency (RDMA_WRITE_WITH_IMM vs SocketChannel)
 * and streaming bandwidth (a window of RDMA_WRITE_WITH_IMMs into a ring vs SocketChannel writes).
 */
@Command(
    name = "bench-verbs",
    mixinStandardHelpOptions = true,
    header = "Benchmark a provider's verbs against JDK NIO sockets: latency and bandwidth, with ratios.",
    description = {
        "Benchmark a verbs provider against JDK NIO SocketChannels on 127.0.0.1, side by side with the ratio " +
        "provider/jdk:",
        "  lat: ping-pong round trip; each side RDMA_WRITE_WITH_IMMs SIZE bytes into the peer's region and " +
        "busy-polls its CQ for the receive completion (vs blocking SocketChannels, TCP_NODELAY, read fully); " +
        "HdrHistogram p50/p99/p99.9/mean in microseconds.",
        "  bw:  streaming; a window of RDMA_WRITE_WITH_IMMs into a ring in the peer's region, the receiver " +
        "reposting receives (vs SocketChannel writes of SIZE bytes); Gb/s = 10^9 bit/s as rstream.",
        "Each test warms up, then measures for --duration (or --iterations)."},
    footer = {"", "Example: rsock bench-verbs --provider tcp -t lat -S 64,4k -d 5s"})
public final class BenchVerbsCommand implements Callable<Integer>
{
    /** The tests this command runs. */
    enum Test
    {
        /** Ping-pong latency. */
        lat,
        /** Streaming bandwidth. */
        bw
    }

    /** When to busy-poll with a pause. */
    enum Idle
    {
        /** Spin with 4 or more cores, else yield. */
        auto,
        /** Thread.onSpinWait between polls. */
        spin,
        /** Thread.yield between polls. */
        yield,
        /** LockSupport.parkNanos between polls. */
        park;

        /** @return the strategy this choice stands for on this machine. */
        IdleStrategy strategy()
        {
            return switch (this)
            {
                case auto -> IdleStrategy.auto();
                case spin -> IdleStrategy.SPIN;
                case yield -> IdleStrategy.YIELD;
                case park -> IdleStrategy.PARK;
            };
        }
    }

    private static final long DEFAULT_LATENCY_SIZE = 64;
    private static final long DEFAULT_BANDWIDTH_SIZE = 64 * 1024;

    @Mixin
    ProviderOption provider;

    @Option(names = {"-t", "--tests"}, split = ",", paramLabel = "TEST",
        description = "Tests to run: lat, bw (default: both).")
    Set<Test> tests = EnumSet.allOf(Test.class);

    @Option(names = {"-S", "--sizes"}, split = ",", paramLabel = "SIZE", converter = SizeConverter.class,
        description = "Message sizes, e.g. 64,4k,64k (default: 64 for lat, 64k for bw).")
    List<Long> sizes;

    @Option(names = {"-w", "--warmup"}, paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "500ms", description = "Warm-up per test and side, not measured (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = {"-d", "--duration"}, paramLabel = "DURATION", converter = DurationConverter.class,
        defaultValue = "2s", description = "Measured time per test and side (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = {"-n", "--iterations"}, paramLabel = "N",
        description = "Measure N round trips (lat) or messages (bw) instead of a duration.")
    long iterations;

    @Option(names = "--window", paramLabel = "N", defaultValue = "16",
        description = "bw: writes outstanding at once; the ring has 2N slots (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--idle", paramLabel = "MODE", defaultValue = "auto",
        description = "Pause between empty polls: spin, yield, park (frees the core: better bandwidth on " +
            "small machines), or auto = spin on 4+ cores, else yield (default: ${DEFAULT-VALUE}).")
    Idle idle;

    @Option(names = "--jdk", paramLabel = "MODE", defaultValue = "poll",
        description = "The JDK side: poll = non-blocking channels polled with the same --idle strategy as the " +
            "provider's completion queue (the fair comparison), block = blocking reads in the kernel " +
            "(default: ${DEFAULT-VALUE}).")
    JdkMode jdk;

    /** How the JDK baseline waits. */
    enum JdkMode
    {
        poll, block
    }

    @Option(names = "--histogram", description = "Also print the full latency percentile distributions (us).")
    boolean histogram;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        validate();
        final PrintWriter out = spec.commandLine().getOut();
        final VerbsProvider p = provider.resolve();
        final IdleStrategy idleStrategy = idle.strategy();
        final IdleStrategy jdkPoll = JdkMode.poll == jdk ? idleStrategy : null;
        final Phase warm = new Phase(warmup, 0);
        final Phase measure = new Phase(duration, iterations);
        out.printf(Locale.ROOT, "rsock bench-verbs: provider '%s' vs JDK NIO SocketChannel on 127.0.0.1; " +
            "warm-up %s, measure %s per test and side; polling: %s, jdk: %s (%d cores)%n%n", p.name(),
            Units.durationStr(warmup), iterations > 0 ? iterations + " iterations" : Units.durationStr(duration),
            idleStrategy.name().toLowerCase(Locale.ROOT), null == jdkPoll ? "blocking" : "non-blocking, polled",
            Runtime.getRuntime().availableProcessors());
        out.flush();

        final BenchTable table = new BenchTable(out, p.name());
        final List<String> notes = new ArrayList<>();
        if (tests.contains(Test.lat))
        {
            for (final long size : sizesOr(DEFAULT_LATENCY_SIZE))
            {
                final LatencyResult v = VerbsPingPong.run(p, (int)size, warm, measure, idleStrategy);
                final LatencyResult j = NioPingPong.run((int)size, warm, measure, jdkPoll);
                table.latency(size, v, j);
                notes.add(String.format(Locale.ROOT, "lat %s: %s round trips (%s), %s (jdk-nio)", Units.sizeStr(size),
                    Units.cntStr(v.count()), p.name(), Units.cntStr(j.count())));
                if (histogram)
                {
                    printHistogram(out, p.name() + " round trip, " + Units.sizeStr(size), v);
                    printHistogram(out, "jdk-nio round trip, " + Units.sizeStr(size), j);
                }
            }
        }
        if (tests.contains(Test.bw))
        {
            for (final long size : sizesOr(DEFAULT_BANDWIDTH_SIZE))
            {
                final ThroughputResult v = VerbsStream.run(p, (int)size, window, warm, measure, idleStrategy);
                final ThroughputResult j = NioStream.run((int)size, warm, measure, jdkPoll);
                table.bandwidth(size, v, j);
                notes.add(String.format(Locale.ROOT, "bw %s: %s in %s writes (%s, %s), %s in %s writes (jdk-nio, %s)",
                    Units.sizeStr(size), Units.sizeStr(v.bytes()), Units.cntStr(v.messages()), p.name(),
                    Units.bytesPerSecond(v.bytes(), v.nanos()), Units.sizeStr(j.bytes()), Units.cntStr(j.messages()),
                    Units.bytesPerSecond(j.bytes(), j.nanos())));
            }
        }
        out.println();
        out.println("ratio = provider / jdk-nio: for lat below 1 means the provider is faster, for bw above 1.");
        notes.forEach(out::println);
        out.flush();
        return 0;
    }

    private List<Long> sizesOr(final long defaultSize)
    {
        return null == sizes ? List.of(defaultSize) : sizes;
    }

    private void validate()
    {
        if (tests.isEmpty())
        {
            throw new ToolException("no tests selected (use -t lat,bw)");
        }
        if (null != sizes)
        {
            for (final long size : sizes)
            {
                if (size > 1L << 30)
                {
                    throw new ToolException("size " + Units.sizeStr(size) + " is too large (at most 1g)");
                }
            }
        }
        if (window < 1 || window > 4096)
        {
            throw new ToolException("--window must be 1..4096, not " + window);
        }
        if (iterations < 0 || duration.isNegative() || warmup.isNegative() || (0 == iterations && duration.isZero()))
        {
            throw new ToolException("nothing to measure: give a positive --duration or --iterations");
        }
    }

    private static void printHistogram(final PrintWriter out, final String title, final LatencyResult result)
    {
        out.println();
        out.println(title + " (us):");
        final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.PrintStream ps = new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8))
        {
            result.histogram().outputPercentileDistribution(ps, 1000.0);
        }
        out.print(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
