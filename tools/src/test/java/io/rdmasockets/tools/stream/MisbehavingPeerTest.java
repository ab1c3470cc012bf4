package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.RsockRun;
import io.rdmasockets.verbs.Verbs;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.tools.RsockRun.rsock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An {@code rsock stream} client against a server that breaks the test: it corrupts a byte, goes away,
 * or stops. The client must say so and exit 1, never hang.
 */
@Timeout(60)
class MisbehavingPeerTest
{
    private static final int SIZE = 64;

    /** What the peer does once it has accepted. */
    private interface Behaviour
    {
        void run(Connection connection, MemorySegment buffer) throws Exception;
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsocket", "socket"})
    void shouldDetectACorruptedByte(final String transport) throws Exception
    {
        final RsockRun client = clientAgainst(transport, (c, buffer) ->
        {
            exchangeSync(c, buffer);
            receive(c, buffer, SIZE);
            for (int i = 0; i < SIZE; i++)
            {
                buffer.set(ValueLayout.JAVA_BYTE, i, (byte)(16 + i ^ (5 == i ? 0x40 : 0)));
            }
            send(c, buffer, SIZE);
            Thread.sleep(500);
        }, "-T", "v");
        assertEquals(1, client.exitCode(), client::toString);
        // The client checked 16 sync bytes, then bytes 16..20 of the echo; byte 21 is the flipped one.
        assertEquals("rsock stream: data verification failed byte 21", client.err().strip(), client::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsocket", "socket"})
    void shouldFailWhenThePeerGoesAway(final String transport) throws Exception
    {
        final RsockRun client = clientAgainst(transport, MisbehavingPeerTest::exchangeSync);
        assertEquals(1, client.exitCode(), client::toString);
        assertTrue(client.err().matches("rsock stream: (rsend|rrecv): .*\\R"), client::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsocket", "socket", "rsocket-blocking"})
    void shouldGiveUpOnAStoppedPeer(final String transport) throws Exception
    {
        final long start = System.nanoTime();
        final RsockRun client = clientAgainst(transport, (c, buffer) ->
        {
            exchangeSync(c, buffer);
            receive(c, buffer, SIZE);
            // Never answers; waits (at most 10 s) until the client gives up and goes.
            c.recv(buffer, 0, 1, Connection.MSG_WAITALL);
        });
        assertEquals(1, client.exitCode(), client::toString);
        assertTrue(client.err().matches("rsock stream: rrecv: no (progress|data) for 1s: the peer stopped\\R"),
            client::toString);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(8), client::toString);
    }

    /** Runs a peer with {@code behaviour} and an {@code rsock stream} client of one 64-byte transfer against it. */
    private static RsockRun clientAgainst(final String transport, final Behaviour behaviour, final String... args)
        throws Exception
    {
        final boolean sockets = "socket".equals(transport);
        final Transport t = sockets ? new SocketTransport() : new RsocketTransport(Verbs.provider("tcp").orElseThrow());
        try (Transport.Listener listener = t.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
             Arena arena = Arena.ofShared())
        {
            final MemorySegment buffer = arena.allocate(SIZE);
            final FutureTask<Void> peer = new FutureTask<>(() ->
            {
                try (Connection c = listener.accept(new Transport.Options(1 << 19, false, -1, 0, 10_000), 10_000))
                {
                    behaviour.run(c, buffer);
                }
                return null;
            });
            Thread.ofPlatform().daemon().name("misbehaving-peer").start(peer);
            final String[] common = {"stream", "--provider", "tcp", "-s", "127.0.0.1", "-p", "" + listener.port(),
                "-S", "" + SIZE, "-C", "1", "-I", "1", "--timeout", "1s"};
            String[] all = StreamRuns.with(args, common);
            all = sockets ? StreamRuns.with(new String[] {"-T", "s"}, all) : all;
            all = transport.endsWith("blocking") ? StreamRuns.with(new String[] {"-T", "b"}, all) : all;
            final RsockRun client = rsock(all);
            peer.get(20, TimeUnit.SECONDS);
            return client;
        }
    }

    /** The server's half of rstream's sync: receive 16 bytes, send 16 bytes of C's pattern (0..15). */
    private static void exchangeSync(final Connection c, final MemorySegment buffer) throws Exception
    {
        receive(c, buffer, 16);
        for (int i = 0; i < 16; i++)
        {
            buffer.set(ValueLayout.JAVA_BYTE, i, (byte)i);
        }
        send(c, buffer, 16);
    }

    private static void receive(final Connection c, final MemorySegment buffer, final int size)
    {
        for (int offset = 0; offset < size; )
        {
            final int n = c.recv(buffer, offset, size - offset, Connection.MSG_WAITALL);
            assertTrue(n > 0, () -> "peer recv: " + (0 == n ? "end of stream" : c.describe(n)));
            offset += n;
        }
    }

    private static void send(final Connection c, final MemorySegment buffer, final int size)
    {
        for (int offset = 0; offset < size; )
        {
            final int n = c.send(buffer, offset, size - offset, 0);
            assertTrue(n > 0, () -> "peer send: " + c.describe(n));
            offset += n;
        }
    }
}
