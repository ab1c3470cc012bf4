package io.rdmasockets.tools;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code rsock batch}: runs rsock command lines read from standard input one after another in this JVM,
 * printing {@value #DONE} and the exit code after each. Scripts that drive many short runs (the Soft-RoCE
 * interop matrix and benchmarks, where a JVM takes half a minute to start under emulation) keep one JVM
 * as a co-process: write a line, wait for its marker.
 */
@Command(
    name = "batch",
    mixinStandardHelpOptions = true,
    header = "Run rsock command lines from standard input in this JVM, one after another.",
    description = {
        "Read rsock command lines (words separated by blanks; no quoting) from standard input and run each in " +
        "this JVM as 'rsock' would, printing '" + BatchCommand.DONE + " N' with its exit code after it. Blank " +
        "lines and lines starting with # are skipped. Exits with 0 when every command did, else with 1."},
    footer = {"", "Example:", "  printf 'devices\\nstream --provider tcp -s 127.0.0.1 -S 4k -C 10\\n' | rsock batch"})
public final class BatchCommand implements Callable<Integer>
{
    /** What follows each command's output, then its exit code. */
    public static final String DONE = "rsock-batch: exit";

    @Spec
    CommandSpec spec;

    /** Where the command lines come from; tests replace it. */
    InputStream input = System.in;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        int failures = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8)))
        {
            for (String line; null != (line = in.readLine()); )
            {
                final String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#"))
                {
                    continue;
                }
                final String[] args = trimmed.split("\\s+");
                final int code;
                if ("batch".equals(args[0]))
                {
                    err.println("rsock batch: a batch cannot run 'batch'");
                    code = CommandLine.ExitCode.USAGE;
                }
                else
                {
                    final CommandLine command = Rsock.newCommandLine();
                    command.setOut(out);
                    command.setErr(err);
                    code = command.execute(args);
                }
                failures += 0 == code ? 0 : 1;
                err.flush();
                out.printf(Locale.ROOT, "%s %d%n", DONE, code);
                out.flush();
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return 0 == failures ? 0 : Rsock.EXIT_FAILURE;
    }
}
