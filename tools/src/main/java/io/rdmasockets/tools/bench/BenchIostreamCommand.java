package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.ProviderOption;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.tools.Units;
import io.rdmasockets.tools.stream.Connection;
import io.rdmasockets.tools.stream.RsocketTransport;
import io.rdmasockets.tools.stream.RstreamPair;
import io.rdmasockets.tools.stream.RstreamResult;
import io.rdmasockets.tools.stream.RstreamSettings;
import io.rdmasockets.verbs.VerbsProvider;
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
 * {@code rsock bench-iostream}: riowrite (riostream's loop) against rsend (rstream's loop) on one verbs
 * provider, in one run, side by side with the ratio: bandwidth at 64 KiB and 1 MiB. Rounds alternate between
 * the two so that machine noise hits both alike.
 */
@Command(
    name = "bench-iostream",
    mixinStandardHelpOptions = true,
    header = "Benchmark riowrite (direct placement) against rsend on one provider: 64 KiB and 1 MiB bandwidth.",
    description = {
        "Run riostream's bandwidth test (see 'rsock iostream': riowrite into the peer's mapped buffer, no receive " +
        "calls) and rstream's (see 'rsock stream': rsend and rrecv, a copy at each end) with both sides in this " +
        "process on 127.0.0.1, and print both in Gb/s (10^9 bit/s, as rstream) and the ratio riowrite/rsend. " +
        "Each size warms up, then runs --rounds times per loop, alternating; the table shows medians."},
    footer = {"", "Example: rsock bench-iostream --provider tcp --rounds 5"})
public final class BenchIostreamCommand implements Callable<Integer>
{
    private static final int[] SIZES = {64 * 1024, 1 << 20};
    private static final Duration LIMIT = Duration.ofMinutes(10);

    @Mixin
    ProviderOption provider;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "3",
        description = "Measured runs per size and loop (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--bytes", paramLabel = "SIZE", defaultValue = "256m",
        description = "Bytes each way per run, whatever the transfer size (default: ${DEFAULT-VALUE}).")
    String bytes;

    @Option(names = "--blocking", description = "Blocking calls (-T b) instead of the nonblocking busy loop.")
    boolean blocking;

    @Option(names = "--idle", paramLabel = "MODE", defaultValue = "auto",
        description = "What the nonblocking loops do after an EAGAIN: spin, yield, park, or auto = spin on 4+ " +
            "cores, else yield (default: ${DEFAULT-VALUE}).")
    BenchVerbsCommand.Idle idle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final long total = Units.parseSize(bytes);
        if (rounds < 1 || total < SIZES[SIZES.length - 1])
        {
            throw new ToolException("--rounds must be at least 1 and --bytes at least 1m");
        }
        final PrintWriter out = spec.commandLine().getOut();
        final VerbsProvider p = provider.resolve();
        out.printf(Locale.ROOT, "rsock bench-iostream: riowrite (riostream's loop) vs rsend (rstream's loop) over " +
            "rsockets on provider '%s', both sides in this process on 127.0.0.1; %s; %s each way per run; median " +
            "of %d rounds (%d cores)%n%n", p.name(), blocking ? "blocking calls (-T b)" :
            "nonblocking loop, idle: " + idle.strategy().name().toLowerCase(Locale.ROOT), Units.sizeStr(total), rounds,
            Runtime.getRuntime().availableProcessors());
        out.flush();
        final BenchTable table = new BenchTable(out, "riowrite", "rsend");
        final RsocketTransport direct = new RsocketTransport(p, 1);
        final RsocketTransport copied = new RsocketTransport(p);
        for (final int size : SIZES)
        {
            final int count = (int)Math.max(1, total / size);
            final double[] io = new double[rounds];
            final double[] send = new double[rounds];
            run(direct, true, size, Math.max(1, count / 10));
            run(copied, false, size, Math.max(1, count / 10));
            for (int round = 0; round < rounds; round++)
            {
                io[round] = run(direct, true, size, count).gbitsPerSecond();
                send[round] = run(copied, false, size, count).gbitsPerSecond();
            }
            table.values("bw (Gb/s)", size, median(io), median(send));
            out.printf(Locale.ROOT, "  runs (Gb/s): riowrite %s, rsend %s%n", all(io), all(send));
            out.flush();
        }
        out.println();
        out.println("ratio = riowrite / rsend: above 1 means direct placement moves more bytes per second.");
        out.flush();
        return 0;
    }

    private RstreamResult run(final RsocketTransport transport, final boolean iostream, final int size,
        final int count)
    {
        final int flags = blocking ? Connection.MSG_WAITALL : Connection.MSG_DONTWAIT;
        final PrintWriter quiet = new PrintWriter(Writer.nullWriter());
        return RstreamPair.run(
            new RstreamSettings().transport(transport).iostream(iostream).flags(flags).idle(idle.strategy())
                .transferSize(size).transferCount(count).iterations(1).out(quiet),
            new RstreamSettings().transport(transport).iostream(iostream).flags(flags).idle(idle.strategy())
                .transferSize(size).transferCount(count).iterations(1).out(quiet),
            LIMIT).getFirst();
    }

    private static String all(final double[] values)
    {
        return Arrays.stream(values).mapToObj(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString();
    }

    private static double median(final double[] values)
    {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
