package io.rdmasockets.tools;

import io.rdmasockets.tools.stream.RsocketTransport;
import io.rdmasockets.tools.stream.RstreamPair;
import io.rdmasockets.tools.stream.RstreamSettings;
import io.rdmasockets.tools.verbs.IdleStrategy;
import io.rdmasockets.verbs.VerbsProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rsock demo}: the main job in one command. An rsocket server and client in this process on
 * 127.0.0.1 run rstream's default tests (see {@code rsock stream}) with a hundredth of the counts, and
 * print rstream's table.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    header = "rsockets on loopback: a server and a client in this process run a short rstream.",
    description = {
        "Start an rsocket server and client in this process on 127.0.0.1 over the default verbs provider " +
        "and run rstream's default tests (64, 4k, 64k and 1m transfers, latency then bandwidth) with a " +
        "hundredth of rstream's counts, printing rstream's table. 'rsock stream' runs the full tests, one " +
        "side per process."})
public final class DemoCommand implements Callable<Integer>
{
    /** How much shorter than rstream's default run the demo is. */
    static final int COUNT_DIVISOR = 100;
    private static final Duration LIMIT = Duration.ofMinutes(2);

    @Mixin
    ProviderOption provider;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final VerbsProvider p = provider.resolve();
        final RsocketTransport transport = new RsocketTransport(p);
        out.printf(Locale.ROOT, "rsock demo: an rsocket server and client in this process on 127.0.0.1, verbs " +
            "provider '%s'; rstream's default tests with 1/%d of the counts:%n%n", p.name(), COUNT_DIVISOR);
        out.flush();
        final long start = System.nanoTime();
        // Both sides share this machine's cores with the provider's threads: spin only where there are enough.
        final IdleStrategy idle = IdleStrategy.auto();
        RstreamPair.run(
            new RstreamSettings().transport(transport).countDivisor(COUNT_DIVISOR).idle(idle)
                .out(new PrintWriter(Writer.nullWriter())),
            new RstreamSettings().transport(transport).countDivisor(COUNT_DIVISOR).idle(idle).out(out),
            LIMIT);
        out.printf(Locale.ROOT, "%nEach row: the client sent 'xfers' transfers of 'bytes' over an rsocket (the " +
            "librdmacm wire protocol on '%s' verbs), the server sent them back, 'iters' times; usec/xfer is " +
            "half a round trip in the _lat rows. Took %.1f s.%n", p.name(), (System.nanoTime() - start) / 1e9);
        out.flush();
        return 0;
    }
}
