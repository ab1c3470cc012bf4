package io.rdmasockets.provider.ibverbs.interop;

import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.rsocket.RdmaServerSocket;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.VerbsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Java rsockets on the native provider against C librdmacm's own {@code rstream} (rdmacm-utils), both
 * ways: the C side is a real C rsocket, so connection data, the rsocket wire protocol and the rdma_cm
 * parameters must all match. The Java side speaks rstream's custom run ({@code -S -C -I}): a 16-byte
 * sync, then per iteration C transfers of S bytes from client to server and back, every byte checked
 * against rstream's verify pattern ({@code -T v}: a running byte counter per direction).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class CRstreamInteropTest extends AbstractVerbsTest
{
    private static final Path RSTREAM = Path.of("/usr/bin/rstream");

    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }

    @Test
    void shouldStreamToACServerAndBack() throws Exception
    {
        runAgainstCServer(64, 100, 2);
        runAgainstCServer(65536, 16, 2);
    }

    @Test
    void shouldServeACClient() throws Exception
    {
        runAgainstCClient(100, 100, 2);
        runAgainstCClient(100_000, 8, 2);
    }

    private void runAgainstCServer(final int size, final int count, final int iterations) throws Exception
    {
        assumeRstream();
        final int port = freePort();
        final Process server = rstream("-b", testAddress().getHostAddress(), "-p", Integer.toString(port),
            "-S", Integer.toString(size), "-C", Integer.toString(count), "-I", Integer.toString(iterations), "-T", "v");
        final CompletableFuture<String> output = outputOf(server);
        try (RdmaSocket socket = connectWhenListening(new InetSocketAddress(testAddress(), port), server))
        {
            final BytePattern pattern = new BytePattern();
            final OutputStream out = socket.getOutputStream();
            final InputStream in = socket.getInputStream();
            pattern.send(out, 16);
            pattern.receive(in, 16);
            for (int i = 0; i < iterations; i++)
            {
                for (int t = 0; t < count; t++)
                {
                    pattern.send(out, size);
                }
                for (int t = 0; t < count; t++)
                {
                    pattern.receive(in, size);
                }
            }
        }
        assertExitsCleanly(server, output, "rstream server");
    }

    private void runAgainstCClient(final int size, final int count, final int iterations) throws Exception
    {
        assumeRstream();
        try (RdmaServerSocket listener = new RdmaServerSocket(provider()))
        {
            listener.bind(new InetSocketAddress(testAddress(), 0));
            final int port = ((InetSocketAddress)listener.getLocalSocketAddress()).getPort();
            final Process client = rstream("-s", testAddress().getHostAddress(), "-p", Integer.toString(port),
                "-S", Integer.toString(size), "-C", Integer.toString(count), "-I", Integer.toString(iterations),
                "-T", "v");
            final CompletableFuture<String> output = outputOf(client);
            try (RdmaSocket socket = listener.accept())
            {
                final BytePattern pattern = new BytePattern();
                final OutputStream out = socket.getOutputStream();
                final InputStream in = socket.getInputStream();
                pattern.receive(in, 16);
                pattern.send(out, 16);
                for (int i = 0; i < iterations; i++)
                {
                    for (int t = 0; t < count; t++)
                    {
                        pattern.receive(in, size);
                    }
                    for (int t = 0; t < count; t++)
                    {
                        pattern.send(out, size);
                    }
                }
            }
            assertExitsCleanly(client, output, "rstream client");
        }
    }

    private static void assumeRstream()
    {
        assumeTrue(Files.isExecutable(RSTREAM), "C rstream not installed (rdmacm-utils): " + RSTREAM);
    }

    private static Process rstream(final String... args) throws IOException
    {
        final List<String> command = new java.util.ArrayList<>(List.of(RSTREAM.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static CompletableFuture<String> outputOf(final Process p)
    {
        final CompletableFuture<String> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("rstream-output").start(() ->
        {
            try
            {
                f.complete(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            catch (final IOException e)
            {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    private RdmaSocket connectWhenListening(final InetSocketAddress server, final Process c) throws Exception
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true)
        {
            final RdmaSocket socket = new RdmaSocket(provider());
            try
            {
                socket.connect(server);
                return socket;
            }
            catch (final ConnectException refused)
            {
                socket.close();
                assertTrue(c.isAlive(), "rstream exited before listening");
                assertTrue(System.nanoTime() < deadline, "rstream never listened: " + refused);
                Thread.sleep(200);
            }
        }
    }

    private static void assertExitsCleanly(final Process p, final CompletableFuture<String> output, final String what)
        throws Exception
    {
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), what + " did not finish");
        final String text = output.get(10, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), what + " failed:\n" + text);
        assertFalse(text.contains("verification failed"), text);
        assertTrue(text.contains("custom"), what + " ran no test:\n" + text);
    }

    private static int freePort() throws IOException
    {
        // A port free in TCP's space is as good a guess as any for rdma_cm's; a clash only makes rstream
        // fail to bind, which the test reports.
        try (java.net.ServerSocket s = new java.net.ServerSocket(0))
        {
            return s.getLocalPort();
        }
    }
}
