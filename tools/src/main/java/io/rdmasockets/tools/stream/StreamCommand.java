package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.DurationConverter;
import io.rdmasockets.tools.ProviderOption;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.tools.Units;
import io.rdmasockets.tools.verbs.IdleStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rsock stream}: C rstream's command line (wire-protocol doc section 8.1) on {@link Rstream}.
 * Without {@code -s} it is the server, as rstream.
 */
@Command(
    name = "stream",
    mixinStandardHelpOptions = true,
    header = "rstream: stream latency and bandwidth over rsockets (or sockets), with rstream's flags and table.",
    description = {
        "A port of librdmacm's rstream: the same flags, runs and table, so that its numbers compare with C " +
        "rstream's line by line and a Java and a C peer can run one test together. Run the server first " +
        "(no -s), then the client with -s SERVER.",
        "Default run: a latency connection (RDMA_INLINE -i) with 64, 4k, 64k and 1m transfers, then a bandwidth " +
        "connection (RDMA_INLINE 0) with the same sizes; -S all runs 33 sizes; -S/-C/-I run one custom test. " +
        "Each iteration the client sends the transfers, then the server sends them back.",
        ""},
    footer = {"", "Examples:", "  rsock stream                       # server, port 7471",
        "  rsock stream -s 127.0.0.1          # client: the default run",
        "  rsock stream -s 127.0.0.1 -S 4k -C 100 -I 10 -T b"})
public class StreamCommand implements Callable<Integer>
{
    @Mixin
    ProviderOption provider;

    @Option(names = "-s", paramLabel = "server_address", description = "Connect to this server (client mode).")
    String server;

    @Option(names = "-b", paramLabel = "bind_address", description = "Local address to bind to.")
    String bind;

    @Option(names = "-f", paramLabel = "address_format", description = "name (default), ip or ipv6 (numeric).")
    String format;

    @Option(names = "-B", paramLabel = "buffer_size",
        description = "SO_SNDBUF and SO_RCVBUF (default: 524288; rsockets double it for their rings).")
    int bufferSize;

    @Option(names = "-i", paramLabel = "inline_size", defaultValue = "64",
        description = "RDMA_INLINE of the latency connection (default: ${DEFAULT-VALUE}).")
    int inlineSize;

    @Option(names = "-I", paramLabel = "iterations", description = "Iterations (custom test; default 1).")
    Integer iterations;

    @Option(names = "-C", paramLabel = "transfer_count",
        description = "Transfers per iteration and direction (custom test; default 1000).")
    Integer transferCount;

    @Option(names = "-S", paramLabel = "transfer_size|all",
        description = "Bytes per transfer (custom test; default 1000), e.g. 4096 or 4k; 'all' runs all 33 sizes.")
    String transferSize;

    @Option(names = "-p", paramLabel = "port", defaultValue = "" + RstreamSettings.PORT_DEFAULT,
        description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "-k", paramLabel = "keepalive_time", description = "SO_KEEPALIVE with this TCP_KEEPIDLE (s).")
    int keepalive;

    @Option(names = "-T", paramLabel = "test_option", description = {
        "Repeatable: s|sockets  JDK sockets instead of rsockets",
        "a|async  poll before each call (not with b)",
        "b|blocking  blocking calls, MSG_WAITALL",
        "n|nonblocking  nonblocking busy loop, MSG_DONTWAIT (the default)",
        "v|verify  send and check rstream's data pattern",
        "f|fork  forces sockets, as rstream (a JVM cannot fork: the server serves the connection itself)",
        "r|resolve  accepted (IP addresses resolve alike)"})
    List<String> testOptions = List.of();

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "How long to wait for the peer: connect, accept, a transfer without progress " +
            "(default: 30s; a server waits for its first client without limit unless given).")
    Duration timeout;

    @Option(names = "--idle", paramLabel = "MODE", defaultValue = "spin",
        description = "Not in rstream: what the nonblocking loop does after an EAGAIN: spin (rstream's busy loop, " +
            "the default), yield or park (give the core to a software provider's threads on a small machine).")
    IdleStrategy idle;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call()
    {
        final RstreamSettings settings = new RstreamSettings().out(spec.commandLine().getOut()).server(server)
            .bind(bind).numericHost(numericHost()).inlineSize(atLeast("-i", inlineSize, 0))
            .port(port).keepaliveSeconds(atLeast("-k", keepalive, 0)).idle(idle);
        if (port < 1 || port > 65535)
        {
            throw new ParameterException(spec.commandLine(), "-p must be 1..65535, not " + port);
        }
        if (0 != bufferSize)
        {
            settings.bufferSize(atLeast("-B", bufferSize, 1));
        }
        customTest(settings);
        final boolean sockets = testOptions(settings);
        if (null != timeout)
        {
            settings.timeout(timeout).waitForFirstClient(false);
        }
        settings.transport(sockets ? new SocketTransport() : new RsocketTransport(provider.resolve(), iomapSize()));
        configure(settings);
        new Rstream(settings).run();
        return 0;
    }

    /** @return RDMA_IOMAPSIZE for the sockets, or -1 for the default. */
    int iomapSize()
    {
        return -1;
    }

    /** @param settings the run, to adjust before it starts (riostream). */
    void configure(final RstreamSettings settings)
    {
        // rstream as parsed.
    }

    /** @return the {@code -T} letters this tool takes. */
    String testLetters()
    {
        return "sabfnrv";
    }

    private void customTest(final RstreamSettings settings)
    {
        if (null != iterations)
        {
            settings.iterations(atLeast("-I", iterations, 1));
        }
        if (null != transferCount)
        {
            settings.transferCount(atLeast("-C", transferCount, 1));
        }
        if ("all".equalsIgnoreCase(transferSize))
        {
            settings.allSizes(true);
        }
        else if (null != transferSize)
        {
            final long size;
            try
            {
                size = Units.parseSize(transferSize);
            }
            catch (final IllegalArgumentException e)
            {
                throw new ParameterException(spec.commandLine(), "-S: " + e.getMessage());
            }
            if (size > 1 << 30)
            {
                throw new ParameterException(spec.commandLine(), "-S: at most 1g, not " + transferSize);
            }
            settings.transferSize((int)size);
        }
    }

    /** C's set_test_opt, applied in order. @return whether sockets replace rsockets. */
    private boolean testOptions(final RstreamSettings settings)
    {
        boolean sockets = false;
        int flags = Connection.MSG_DONTWAIT;
        for (final String option : testOptions)
        {
            switch (testOption(option))
            {
                case 's', 'f' -> sockets = true;
                case 'a' -> settings.async(true);
                case 'b' -> flags = (flags & ~Connection.MSG_DONTWAIT) | Connection.MSG_WAITALL;
                case 'n' -> flags |= Connection.MSG_DONTWAIT;
                case 'v' -> settings.verify(true);
                default ->
                {
                    // 'r': rdma_getaddrinfo resolves IP addresses as getaddrinfo does.
                }
            }
        }
        settings.flags(flags);
        return sockets;
    }

    /** One letter, or a word as C matches it: the value starts with it, case-insensitively. */
    private char testOption(final String value)
    {
        final String v = value.toLowerCase(Locale.ROOT);
        if (1 == v.length() && testLetters().contains(v))
        {
            return v.charAt(0);
        }
        for (final String word : new String[] {"socket", "async", "block", "nonblock", "resolve", "verify", "fork"})
        {
            if (v.length() > 1 && v.startsWith(word) && testLetters().indexOf(word.charAt(0)) >= 0)
            {
                return word.charAt(0);
            }
        }
        throw new ParameterException(spec.commandLine(), "-T: unknown test option '" + value + "' (" +
            ("sabfnrv".equals(testLetters()) ? "s|sockets, a|async, b|blocking, f|fork, n|nonblocking, r|resolve, " +
            "v|verify" : "a|async, b|blocking, n|nonblocking, v|verify") + ")");
    }

    private boolean numericHost()
    {
        if (null == format)
        {
            return false;
        }
        return switch (format.toLowerCase(Locale.ROOT))
        {
            case "name" -> false;
            case "ip", "ipv6" -> true;
            case "gid" -> throw new ToolException("-f gid: AF_IB addresses (rdma_getaddrinfo) are not supported; " +
                "use name, ip or ipv6");
            default -> throw new ParameterException(spec.commandLine(), "-f: unknown address format '" + format +
                "' (name, ip, ipv6)");
        };
    }

    private int atLeast(final String option, final int value, final int min)
    {
        if (value < min)
        {
            throw new ParameterException(spec.commandLine(), option + " must be at least " + min + ", not " + value);
        }
        return value;
    }
}
