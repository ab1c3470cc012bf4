package io.rdmasockets.tools;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One {@code rsock} command run in-process, as {@code ./rsock} would run it, with its output captured.
 *
 * @param exitCode the exit code.
 * @param out      what it printed on stdout.
 * @param err      what it printed on stderr.
 */
public record RsockRun(int exitCode, String out, String err)
{
    /**
     * @param args the command line.
     * @return the finished run.
     */
    public static RsockRun rsock(final String... args)
    {
        return rsock(new StringWriter(), args);
    }

    /**
     * @param out  receives stdout while the command runs (another thread may read it).
     * @param args the command line.
     * @return the finished run.
     */
    public static RsockRun rsock(final StringWriter out, final String... args)
    {
        final CommandLine commandLine = Rsock.newCommandLine();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new RsockRun(exitCode, out.toString(), err.toString());
    }

    @Override
    public String toString()
    {
        return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
