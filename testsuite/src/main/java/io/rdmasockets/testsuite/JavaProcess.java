package io.rdmasockets.testsuite;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A child JVM running a main class of the testsuite with this JVM's java launcher and class path; its
 * output lines (stdout and stderr merged) are collected for assertions and failure messages.
 */
public final class JavaProcess implements AutoCloseable
{
    private final String label;
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private JavaProcess(final String label, final Process process)
    {
        this.label = label;
        this.process = process;
        reader = Thread.ofPlatform().daemon().name("output-" + label).start(this::readLines);
    }

    /**
     * @param mainClass the class to run.
     * @param args      its arguments.
     * @return the command: this JVM's {@code java}, class path, native access, assertions on.
     */
    public static List<String> javaCommand(final Class<?> mainClass, final String... args)
    {
        final String java = ProcessHandle.current().info().command()
            .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this JVM"));
        final List<String> command = new ArrayList<>(List.of(java, "-ea", "-Xmx256m",
            "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path")));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Starts a process.
     *
     * @param label   names it in messages.
     * @param command the command line.
     * @return the running process.
     * @throws IOException when it cannot start.
     */
    public static JavaProcess start(final String label, final List<String> command) throws IOException
    {
        return new JavaProcess(label, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    private void readLines()
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                synchronized (lines)
                {
                    lines.add(line);
                }
            }
        }
        catch (final IOException ignore)
        {
            // The process died; what it printed so far is kept.
        }
    }

    /** @return the process. */
    public Process process()
    {
        return process;
    }

    /** @return a copy of the lines printed so far. */
    public List<String> lines()
    {
        synchronized (lines)
        {
            return List.copyOf(lines);
        }
    }

    /**
     * @param prefix how the line starts.
     * @return the first such line, or {@code null}.
     */
    public String line(final String prefix)
    {
        return lines().stream().filter(l -> l.startsWith(prefix)).findFirst().orElse(null);
    }

    /**
     * Waits for a line; fails at the deadline or when the process exits first.
     *
     * @param prefix  how the line starts.
     * @param timeout the deadline.
     * @return the line.
     */
    public String awaitLine(final String prefix, final Duration timeout)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final String l = line(prefix);
            if (null != l)
            {
                return l;
            }
            if (!process.isAlive() && !reader.isAlive())
            {
                fail(label + " exited (" + process.exitValue() + ") before printing '" + prefix + "': " + lines());
            }
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail(label + " did not print '" + prefix + "' within " + timeout + ": " + lines());
            }
            Tests.idle();
        }
    }

    /**
     * Waits for the exit.
     *
     * @param timeout the deadline.
     * @return the exit code.
     * @throws InterruptedException when interrupted.
     */
    public int awaitExit(final Duration timeout) throws InterruptedException
    {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
        {
            fail(label + " did not exit within " + timeout + ": " + lines());
        }
        reader.join(TimeUnit.SECONDS.toMillis(5));
        return process.exitValue();
    }

    /** Kills the process and its children if still alive. */
    @Override
    public void close()
    {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try
        {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString()
    {
        return label + lines();
    }
}
