package io.rdmasockets.tools.stream;

import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code rsock iostream}: C riostream's command line (wire-protocol doc section 8.2) on {@link Rstream} in its
 * riostream mode: rstream's flags minus {@code -k} and the {@code -T} letters s, f and r, RDMA_IOMAPSIZE 1 on
 * every socket, transfers by riowrite into the peer's mapped buffer, the same table.
 */
@Command(
    name = "iostream",
    mixinStandardHelpOptions = true,
    header = "riostream: latency and bandwidth of riowrite (direct placement) over rsockets, with riostream's " +
        "flags and table.",
    description = {
        "A port of librdmacm's riostream: each side maps its buffer with riomap (RDMA_IOMAPSIZE 1), writes the " +
        "peer's with riowrite, and waits for the peer's last transfer by spinning on its buffer's last byte; no " +
        "receive calls (the spin polls the socket, so a software provider places the data on that thread). " +
        "Same runs, flags and table as 'rsock stream' and C riostream, so a Java and a C peer " +
        "run one test together. Run the server first (no -s), then the client with -s SERVER.",
        ""},
    footer = {"", "Examples:", "  rsock iostream                     # server, port 7471",
        "  rsock iostream -s 127.0.0.1        # client: the default run",
        "  rsock iostream -s 127.0.0.1 -S 1m -C 100 -T v"},
    modelTransformer = IostreamCommand.RiostreamOptions.class)
public final class IostreamCommand extends StreamCommand
{
    /**
     * rstream's options as riostream's usage lists them: {@code -k} hidden (still parsed, to refuse it with a
     * clear message) and {@code -T} with riostream's four letters.
     */
    static final class RiostreamOptions implements IModelTransformer
    {
        @Override
        public CommandSpec transform(final CommandSpec spec)
        {
            replace(spec, OptionSpec.builder(spec.findOption("-k")).hidden(true));
            replace(spec, OptionSpec.builder(spec.findOption("-T")).description(
                "Repeatable: a|async  poll before each call (not with b)",
                "b|blocking  blocking calls, MSG_WAITALL",
                "n|nonblocking  nonblocking busy loop, MSG_DONTWAIT (the default)",
                "v|verify  send and check rstream's data pattern"));
            return spec;
        }

        private static void replace(final CommandSpec spec, final OptionSpec.Builder option)
        {
            spec.remove(spec.findOption(option.names()[0]));
            spec.addOption(option.build());
        }
    }

    @Override
    int iomapSize()
    {
        return 1;
    }

    @Override
    String testLetters()
    {
        return "abnv";
    }

    @Override
    void configure(final RstreamSettings settings)
    {
        if (0 != keepalive)
        {
            throw new ParameterException(spec.commandLine(), "-k: riostream has no keepalive option");
        }
        settings.iostream(true);
    }
}
