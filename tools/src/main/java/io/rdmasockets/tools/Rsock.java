package io.rdmasockets.tools;

import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.tools.bench.BenchIostreamCommand;
import io.rdmasockets.tools.bench.BenchStreamCommand;
import io.rdmasockets.tools.bench.BenchVerbsCommand;
import io.rdmasockets.tools.echo.EchoClientCommand;
import io.rdmasockets.tools.echo.EchoServerCommand;
import io.rdmasockets.tools.stream.IostreamCommand;
import io.rdmasockets.tools.stream.StreamCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The {@code rsock} command: the entry point that dispatches to one class per subcommand.
 *
 * <p>Errors print one line, {@code rsock COMMAND: MESSAGE} (the message of an errno failure starts
 * with the errno name), and exit with 1; {@code --verbose} adds the stack trace.
 */
@Command(
    name = "rsock",
    mixinStandardHelpOptions = true,
    versionProvider = Rsock.Version.class,
    description = "RDMA sockets for the JVM: providers, devices, rstream, demos and benchmarks.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footer = {"", "Examples:", "  rsock devices -v", "  rsock demo", "  rsock stream  /  rsock stream -s 127.0.0.1",
        "  rsock iostream  /  rsock iostream -s 127.0.0.1",
        "  rsock bench-stream --provider tcp", "  rsock bench-iostream --provider tcp",
        "  rsock bench-verbs --provider tcp -S 64,4k -d 5s",
        "  rsock echo-server -s 127.0.0.1 -r 7895 -n 1  /  rsock echo-client -d 127.0.0.1 -p 7895 -a 0 -i 0 -u 100",
        "", "Run 'rsock COMMAND --help' for a command's options."},
    subcommands = {DevicesCommand.class, DemoCommand.class, StreamCommand.class, IostreamCommand.class,
        VerbsDemoCommand.class,
        BenchVerbsCommand.class, BenchStreamCommand.class, BenchIostreamCommand.class, BatchCommand.class,
        EchoServerCommand.class, EchoClientCommand.class, RunCommand.class})
public final class Rsock implements Runnable
{
    /** Exit code of a command whose checks or run failed. */
    public static final int EXIT_FAILURE = 1;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(newCommandLine().execute(args));
    }

    /**
     * @return the command line with every subcommand and the one-line error handler installed; tests
     *         call {@link CommandLine#execute} on it after {@code setOut}/{@code setErr}.
     */
    public static CommandLine newCommandLine()
    {
        final CommandLine commandLine = new CommandLine(new Rsock());
        // --idle spin as well as SPIN.
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(Rsock::handleExecutionException);
        return commandLine;
    }

    @Override
    public void run()
    {
        // 'rsock' alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private static int handleExecutionException(
        final Exception ex, final CommandLine commandLine, final ParseResult parseResult)
    {
        final PrintWriter err = commandLine.getErr();
        err.println(commandLine.getCommandSpec().qualifiedName() + ": " + message(ex));
        if (isVerbose(parseResult))
        {
            ex.printStackTrace(err);
        }
        else if (!(ex instanceof ToolException) && !(ex instanceof ErrnoException))
        {
            err.println("(run with --verbose for the stack trace)");
        }
        err.flush();
        return EXIT_FAILURE;
    }

    /**
     * @param ex a failure.
     * @return its one-line description: the message of an errno failure (which starts with the errno
     *         name), a tool error's message, or the type and message of anything else.
     */
    static String message(final Throwable ex)
    {
        Throwable t = ex;
        while ((t instanceof ExecutionException || t instanceof CompletionException ||
            t instanceof UncheckedIOException) && null != t.getCause())
        {
            t = t.getCause();
        }
        if (t instanceof ToolException || t instanceof ErrnoException)
        {
            return t.getMessage();
        }
        if (t instanceof InterruptedException)
        {
            return "interrupted";
        }
        final String text = t.getMessage();
        return t.getClass().getSimpleName() + (null == text ? "" : ": " + text);
    }

    private static boolean isVerbose(final ParseResult parseResult)
    {
        for (ParseResult pr = parseResult; null != pr; pr = pr.subcommand())
        {
            if (pr.hasMatchedOption("--verbose"))
            {
                return true;
            }
        }
        return false;
    }

    /** {@code --version}: the tool's version and the Java runtime. */
    static final class Version implements IVersionProvider
    {
        @Override
        public String[] getVersion()
        {
            // On the module path the module's version (javac --module-version); on the class path the manifest's.
            final Module module = Rsock.class.getModule();
            final String version = module.isNamed() && null != module.getDescriptor() ?
                module.getDescriptor().rawVersion().orElse(null) : Rsock.class.getPackage().getImplementationVersion();
            return new String[] {
                "rsock " + (null == version ? "(development build)" : version) + " (rdmasockets)",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }
}
