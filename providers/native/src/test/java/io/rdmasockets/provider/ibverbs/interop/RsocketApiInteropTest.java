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
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The rsocket API of C librdmacm, called directly by the test peer {@code rsocket_peer} (src/test/c), against
 * Java {@link RdmaSocket}s on the native provider: {@code rrecv(MSG_PEEK)}, half-close with
 * {@code rshutdown(SHUT_WR)} both ways, {@code rpoll} for readability and writability (the credits of a
 * full receive buffer), C as the listener, and peers that die: a C peer killed with SIGKILL in the middle of
 * a transfer must end the Java side's read or write with EOF or an error within {@link #DEAD_PEER_BOUND},
 * never hang. Every byte is checked on both sides ({@link BytePattern}).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RsocketApiInteropTest extends AbstractVerbsTest
{
    /** How soon the survivor of a killed peer must notice, under emulation (rxe under TCG is slow). */
    static final Duration DEAD_PEER_BOUND = Duration.ofSeconds(60);
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(120);

    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }

    @Test
    void shouldLetCPeekThenReadWhatJavaSent() throws Exception
    {
        final int size = 200_000;
        try (RdmaServerSocket listener = listen();
             CPeer peer = CPeer.start("peek", host(), port(listener), Integer.toString(size));
             RdmaSocket socket = accept(listener))
        {
            final BytePattern pattern = new BytePattern();
            pattern.send(socket.getOutputStream(), size);
            // The echo is what we sent: the same pattern from its start.
            pattern.receive(socket.getInputStream(), size);
            socket.shutdownOutput();
            peer.assertSucceeds(PEER_TIMEOUT);
        }
    }

    @Test
    void shouldReadCDataToEofAfterCShutdownThenReply() throws Exception
    {
        final int size = 1 << 20;
        try (RdmaServerSocket listener = listen();
             CPeer peer = CPeer.start("halfclose", host(), port(listener), Integer.toString(size));
             RdmaSocket socket = accept(listener))
        {
            final BytePattern pattern = new BytePattern();
            assertEquals(size, pattern.receiveToEof(socket.getInputStream()), "bytes before C's SHUT_WR");
            // Half-closed by the peer: this direction still works.
            pattern.send(socket.getOutputStream(), size);
            socket.shutdownOutput();
            peer.assertSucceeds(PEER_TIMEOUT);
            assertEquals(-1, socket.getInputStream().read(), "EOF stays EOF");
        }
    }

    @Test
    void shouldConnectToACListenerThatEchoesUntilJavaShutsDown() throws Exception
    {
        final int size = 1 << 20;
        try (CPeer peer = CPeer.start("serve", host(), "0"))
        {
            final int port = Integer.parseInt(peer.awaitLine("LISTENING", PEER_TIMEOUT).split(" ")[1]);
            try (RdmaSocket socket = new RdmaSocket(provider()))
            {
                socket.connect(new InetSocketAddress(testAddress(), port));
                socket.setSoTimeout((int)PEER_TIMEOUT.toMillis());
                // The C side echoes as it reads: write from another thread so neither side waits for the other.
                final BytePattern pattern = new BytePattern();
                final OutputStream out = socket.getOutputStream();
                final CompletableFuture<Void> writer = inThread("writer", () ->
                {
                    pattern.send(out, size);
                    socket.shutdownOutput();
                });
                assertEquals(size, pattern.receiveToEof(socket.getInputStream()), "bytes echoed before C's SHUT_WR");
                writer.get(PEER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                peer.assertSucceeds(PEER_TIMEOUT);
            }
        }
    }

    @Test
    void shouldWakeCPollForDataAndForCredits() throws Exception
    {
        final int size = 16 << 20;
        try (RdmaServerSocket listener = listen();
             CPeer peer = CPeer.start("poll", host(), port(listener), Integer.toString(size));
             RdmaSocket socket = accept(listener))
        {
            final BytePattern pattern = new BytePattern();
            // C has checked that it polls nothing and reads EAGAIN while we are silent.
            peer.awaitLine("IDLE", PEER_TIMEOUT);
            pattern.send(socket.getOutputStream(), 100);
            // C has filled our receive buffer (rsend: EAGAIN): drain it; our credits must wake C's rpoll(POLLOUT).
            peer.awaitLine("FULL", PEER_TIMEOUT);
            assertEquals(size, pattern.receiveToEof(socket.getInputStream()), "bytes from C");
            socket.shutdownOutput();
            peer.assertSucceeds(PEER_TIMEOUT);
        }
    }

    @Test
    void shouldEndAReadWhenTheCWriterIsKilled() throws Exception
    {
        try (RdmaServerSocket listener = listen();
             CPeer peer = CPeer.start("flood", host(), port(listener));
             RdmaSocket socket = accept(listener))
        {
            peer.awaitLine("CONNECTED", PEER_TIMEOUT);
            final BytePattern pattern = new BytePattern();
            final InputStream in = socket.getInputStream();
            pattern.receive(in, 4 << 20);
            peer.kill();
            final long killed = System.nanoTime();
            // Data already in our buffer may come first; then EOF or an error, never a wait without end.
            socket.setSoTimeout(5_000);
            final String end = readUntilEnd(in, pattern, killed);
            System.out.printf("read after SIGKILL of the C writer: %s after %d ms, %d bytes in all%n", end,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed), pattern.receivedTotal());
        }
    }

    @Test
    void shouldFailAWriteWhenTheCReaderIsKilled() throws Exception
    {
        try (RdmaServerSocket listener = listen();
             CPeer peer = CPeer.start("sink", host(), port(listener));
             RdmaSocket socket = accept(listener))
        {
            peer.awaitLine("CONNECTED", PEER_TIMEOUT);
            final OutputStream out = socket.getOutputStream();
            final BytePattern pattern = new BytePattern();
            pattern.send(out, 4 << 20);
            peer.kill();
            final long killed = System.nanoTime();
            final CompletableFuture<Void> writer = inThread("writer", () ->
            {
                while (true)
                {
                    pattern.send(out, 1 << 20);
                }
            });
            try
            {
                writer.get(DEAD_PEER_BOUND.toSeconds(), TimeUnit.SECONDS);
                fail("the writer ended without an error");
            }
            catch (final java.util.concurrent.ExecutionException expected)
            {
                assertInstanceOf(IOException.class, expected.getCause());
                System.out.printf("write after SIGKILL of the C reader: %s after %d ms%n", expected.getCause(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
            }
            catch (final java.util.concurrent.TimeoutException hang)
            {
                // Closing the socket (try-with-resources) wakes the writer.
                fail("a write to a killed C peer still blocks after " + DEAD_PEER_BOUND);
            }
        }
    }

    /** @return how the stream ended: "EOF" or the exception; fails after {@link #DEAD_PEER_BOUND}. */
    private static String readUntilEnd(final InputStream in, final BytePattern pattern, final long since)
        throws IOException
    {
        while (System.nanoTime() - since < DEAD_PEER_BOUND.toNanos())
        {
            try
            {
                pattern.receiveToEof(in);
                return "EOF";
            }
            catch (final SocketTimeoutException stillWaiting)
            {
                // Keep waiting until the bound.
            }
            catch (final IOException error)
            {
                return error.toString();
            }
        }
        return fail("a read from a killed C peer neither ended nor failed within " + DEAD_PEER_BOUND);
    }

    private RdmaServerSocket listen() throws IOException
    {
        final RdmaServerSocket listener = new RdmaServerSocket(provider());
        listener.bind(new InetSocketAddress(testAddress(), 0));
        listener.setSoTimeout((int)PEER_TIMEOUT.toMillis());
        return listener;
    }

    private static RdmaSocket accept(final RdmaServerSocket listener) throws IOException
    {
        final RdmaSocket socket = listener.accept();
        socket.setSoTimeout((int)PEER_TIMEOUT.toMillis());
        return socket;
    }

    private static String host()
    {
        return testAddress().getHostAddress();
    }

    private static String port(final RdmaServerSocket listener)
    {
        return Integer.toString(((InetSocketAddress)listener.getLocalSocketAddress()).getPort());
    }

    private interface IoCall
    {
        void run() throws IOException;
    }

    private static CompletableFuture<Void> inThread(final String name, final IoCall call)
    {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name(name).start(() ->
        {
            try
            {
                call.run();
                done.complete(null);
            }
            catch (final Throwable t)
            {
                done.completeExceptionally(t);
            }
        });
        return done;
    }
}
