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
 * The C test peer {@code rsocket_peer} (src/test/c, built by scripts/rdma-tests.sh against librdmacm) as a
 * child process: its stdout lines are the handshakes the tests wait for.
 */
final class CPeer implements AutoCloseable
{
    /** Where the binary is: set by scripts/rdma-tests.sh. */
    static final String BINARY_PROP = "rdmasockets.test.cpeer";
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();

    private CPeer(final Process process)
    {
        this.process = process;
        Thread.ofPlatform().daemon().name("rsocket_peer-output").start(this::pump);
    }

    /** Starts {@code rsocket_peer ARGS}; skips the test when the binary was not built. */
    static CPeer start(final String... args) throws IOException
    {
        final String binary = System.getProperty(BINARY_PROP, "providers/native/target/c/rsocket_peer");
        assumeTrue(Files.isExecutable(Path.of(binary)),
            "the C peer is not built (scripts/rdma-tests.sh builds it with gcc and librdmacm-dev): " + binary);
        final List<String> command = new ArrayList<>(List.of(binary));
        command.addAll(List.of(args));
        return new CPeer(new ProcessBuilder(command).redirectErrorStream(true).start());
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
                fail("rsocket_peer did not print '" + prefix + "' within " + timeout + "; output: " + output());
            }
            if (EOF.equals(line))
            {
                fail("rsocket_peer ended without printing '" + prefix + "'; output: " + output());
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
        assertEquals(0, exitCode(timeout), () -> "rsocket_peer failed: " + output());
        awaitLine("OK", Duration.ofSeconds(10));
    }

    /** @return the exit code; fails when the peer is still running after the timeout. */
    int exitCode(final Duration timeout) throws InterruptedException
    {
        assertTrue(process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS),
            () -> "rsocket_peer still running after " + timeout + "; output: " + output());
        return process.exitValue();
    }

    /** Kills the peer as a crash would: SIGKILL, no chance to close anything. */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "rsocket_peer survived SIGKILL");
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
