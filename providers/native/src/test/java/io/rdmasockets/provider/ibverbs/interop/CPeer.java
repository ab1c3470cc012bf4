package io.rdmasockets.provider.ibverbs.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A C test peer ({@code rsocket_peer} or {@code riomap_peer}: src/test/c, built by scripts/rdma-tests.sh
 * against librdmacm) as a child process: its stdout lines are the handshakes the tests wait for.
 */
final class CPeer implements AutoCloseable
{
    /** Where the rsocket_peer binary is: set by scripts/rdma-tests.sh. */
    static final String BINARY_PROP = "rdmasockets.test.cpeer";
    /** Where the riomap_peer binary is: set by scripts/rdma-tests.sh. */
    static final String RIOMAP_BINARY_PROP = "rdmasockets.test.riomappeer";
    private static final String EOF = "\u0000eof";

    private final String name;
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private CPeer(final String name, final Process process)
    {
        this.name = name;
        this.process = process;
        Thread.ofPlatform().daemon().name(name + "-output").start(this::pump);
    }

    /** Starts {@code rsocket_peer ARGS}; skips the test when the binary was not built. */
    static CPeer start(final String... args) throws IOException
    {
        return start(BINARY_PROP, "rsocket_peer", args);
    }

    /** Starts {@code riomap_peer ARGS}; skips the test when the binary was not built. */
    static CPeer startRiomap(final String... args) throws IOException
    {
        return start(RIOMAP_BINARY_PROP, "riomap_peer", args);
    }

    private static CPeer start(final String property, final String name, final String... args) throws IOException
    {
        final String binary = System.getProperty(property, "providers/native/target/c/" + name);
        assumeTrue(Files.isExecutable(Path.of(binary)),
            "the C peer is not built (scripts/rdma-tests.sh builds it with gcc and librdmacm-dev): " + binary);
        final List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        return new CPeer(name, new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Waits for a line that starts with {@code prefix}. @return that line. */
    String awaitLine(final String prefix, final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (null == line)
            {
                fail(name + " did not print '" + prefix + "' within " + timeout + "; output: " + output());
            }
            if (EOF.equals(line))
            {
                fail(name + " ended without printing '" + prefix + "'; output: " + output());
            }
            if (line.startsWith(prefix))
            {
                return line;
            }
        }
    }

    /** Asserts the peer exits with 0 and prints OK within the timeout. */
    void assertSucceeds(final Duration timeout) throws InterruptedException
    {
        assertEquals(0, exitCode(timeout), () -> name + " failed: " + output());
        awaitLine("OK", Duration.ofSeconds(10));
    }

    /** @return the exit code; fails when the peer is still running after the timeout. */
    int exitCode(final Duration timeout) throws InterruptedException
    {
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
            () -> name + " still running after " + timeout + "; output: " + output());
        return process.exitValue();
    }

    /** Kills the peer as a crash would: SIGKILL, no chance to close anything. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), name + " survived SIGKILL");
    }

    synchronized String output()
    {
        return String.join(" | ", output);
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
    }

    private void pump()
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
        {
            for (String line; null != (line = in.readLine()); )
            {
                synchronized (this)
                {
                    output.add(line);
                }
                lines.add(line);
            }
        }
        catch (final IOException ignored)
        {
            // The process is gone: EOF below.
        }
        lines.add(EOF);
    }
}
