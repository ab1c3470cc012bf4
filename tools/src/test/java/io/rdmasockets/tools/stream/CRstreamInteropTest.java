package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.RsockRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.tools.RsockRun.rsock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code rsock stream} against C rstream (rdmacm-utils), each as client and as server, over sockets
 * ({@code -T s}: C's rsockets need an RDMA device) with C's data pattern checked on both sides
 * ({@code -T v}). Skipped, with a message, where rstream is not installed.
 */
@Timeout(120)
class CRstreamInteropTest
{
    private static final String[] TEST = {"-T", "s", "-T", "v", "-S", "4096", "-C", "10", "-I", "20"};
    private static Path rstream;

    @BeforeAll
    static void findRstream()
    {
        rstream = List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)).stream()
            .map(dir -> Path.of(dir, "rstream")).filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(null != rstream, "C rstream is not installed (Debian: apt-get install rdmacm-utils)");
    }

    @Test
    void shouldRunAsClientOfCRstream() throws Exception
    {
        final int port = StreamRuns.freePort();
        final Process server = start(StreamRuns.with(TEST, "-p", "" + port));
        try
        {
            awaitListening(port);
            final RsockRun client = rsock(StreamRuns.with(TEST, "stream", "-s", "127.0.0.1", "-p", "" + port,
                "--timeout", "20s"));
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "C rstream did not finish");
            final String out = new String(server.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, client.exitCode(), client::toString);
            assertEquals(0, server.exitValue(), () -> out + "\n" + client);
            assertSameTest(StreamRuns.table(out, 4096).getFirst(), StreamRuns.table(client.out(), 4096).getFirst());
        }
        finally
        {
            server.destroyForcibly();   // C rstream busy-loops: never leave one behind
        }
    }

    @Test
    void shouldServeCRstream() throws Exception
    {
        final int port = StreamRuns.freePort();
        final StringWriter serverOut = new StringWriter();
        final FutureTask<RsockRun> server = new FutureTask<>(() -> rsock(serverOut,
            StreamRuns.with(TEST, "stream", "-b", "127.0.0.1", "-p", "" + port, "--timeout", "20s")));
        Thread.ofPlatform().daemon().name("interop-server").start(server);
        awaitListening(port);   // C rstream does not retry a refused connect
        final Process client = start(StreamRuns.with(TEST, "-s", "127.0.0.1", "-p", "" + port));
        try
        {
            assertTrue(client.waitFor(30, TimeUnit.SECONDS), "C rstream did not finish");
            final String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final RsockRun run = server.get(30, TimeUnit.SECONDS);
            assertEquals(0, client.exitValue(), out);
            assertEquals(0, run.exitCode(), run::toString);
            assertSameTest(StreamRuns.table(out, 4096).getFirst(), StreamRuns.table(run.out(), 4096).getFirst());
        }
        finally
        {
            client.destroyForcibly();
        }
    }

    private static void assertSameTest(final StreamRuns.Row c, final StreamRuns.Row java)
    {
        assertEquals(List.of(c.name(), c.bytes(), c.xfers(), c.iters(), c.total()),
            List.of(java.name(), java.bytes(), java.xfers(), java.iters(), java.total()), c.line() + "\n" + java.line());
    }

    private static Process start(final String... args) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(rstream.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Waits until something listens on the TCP port, without connecting (a connection would be the test's). */
    private static void awaitListening(final int port) throws Exception
    {
        final String local = String.format(":%04X ", port);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() - deadline < 0)
        {
            for (final String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"})
            {
                // Columns: sl local_address rem_address st ...; st 0A is LISTEN.
                for (final String line : Files.readAllLines(Path.of(table)))
                {
                    final String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && (f[1] + " ").endsWith(local) && "0A".equals(f[3]))
                    {
                        return;
                    }
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing listens on port " + port);
    }
}
