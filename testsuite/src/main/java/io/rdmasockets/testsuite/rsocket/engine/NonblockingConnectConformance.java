package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.RsocketState;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.CONNECT_ERROR;
import static io.rdmasockets.rsocket.engine.RsocketState.CONNECT_RDWR;
import static org.junit.jupiter.api.Assertions.*;

/** Nonblocking connect (wire-protocol doc section 4.4): progress on the service thread, outcome in SO_ERROR. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class NonblockingConnectConformance extends AbstractVerbsTest
{
    @Test
    public void shouldConnectWithoutTheApplicationCallingIn() throws Exception
    {
        try (StreamRsocket listener = Pair.listen(provider(), -1); StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG))
        {
            client.nonblocking(true);
            final ErrnoException e = assertThrows(ErrnoException.class, () -> client.connect(Pair.addressOf(listener)));
            assertEquals(Errno.EINPROGRESS.code(), e.errno(), e.getMessage());
            final MemorySegment buf = MemorySegment.ofArray(new byte[] {7});
            final int early = client.recv(buf, 0, 1, 0);
            assertTrue(-Errno.EAGAIN.code() == early, "recv while connecting or just connected: " + early);
            final ErrnoException again = assertThrows(ErrnoException.class, () -> client.connect(Pair.addressOf(listener)));
            assertTrue(Errno.EALREADY.code() == again.errno() || Errno.EISCONN.code() == again.errno(), again.getMessage());

            // Nobody calls into the client: the service thread finishes the connection.
            assertTrue(Pair.within(10_000, () -> CONNECT_RDWR == client.state()), RsocketState.toString(client.state()));
            assertEquals(0, client.takeError());
            assertNotEquals(0, client.pollEvents() & StreamRsocket.POLLOUT);
            try (StreamRsocket server = listener.accept())
            {
                assertEquals(1, client.send(buf, 0, 1, 0));
                final MemorySegment in = MemorySegment.ofArray(new byte[1]);
                assertEquals(1, server.recv(in, 0, 1, 0));
                assertEquals(7, in.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
                assertEquals(1, server.send(in, 0, 1, 0));
                assertTrue(Pair.within(5_000, () -> 0 != (client.pollEvents() & StreamRsocket.POLLIN)));
                assertEquals(1, client.recv(buf, 0, 1, 0));
            }
            assertTrue(Pair.within(5_000, () -> 0 != (client.pollEvents() & StreamRsocket.POLLHUP)),
                "the peer's close shows as POLLHUP: " + client.pollEvents());
        }
    }

    @Test
    public void shouldReportARefusalThroughSoError() throws Exception
    {
        // A kernel port: the tcp provider's closed listener may take and reset a connect for a moment.
        final InetSocketAddress closed;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, testAddress()))
        {
            closed = new InetSocketAddress(testAddress(), probe.getLocalPort());
        }
        try (StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG))
        {
            client.nonblocking(true);
            final ErrnoException e = assertThrows(ErrnoException.class, () -> client.connect(closed));
            assertEquals(Errno.EINPROGRESS.code(), e.errno(), e.getMessage());
            assertTrue(Pair.within(10_000, () -> CONNECT_ERROR == client.state()), RsocketState.toString(client.state()));
            assertNotEquals(0, client.pollEvents() & StreamRsocket.POLLERR);
            assertEquals(Errno.ECONNREFUSED.code(), client.takeError());
            assertEquals(0, client.takeError(), "SO_ERROR clears once read");
        }
    }

    @Test
    public void shouldReleaseEverythingWhenClosedWhileConnecting() throws Exception
    {
        final int before = StreamRsocket.openEndpoints();
        try (StreamRsocket listener = Pair.listen(provider(), -1))
        {
            for (int i = 0; i < 50; i++)
            {
                final StreamRsocket client = StreamRsocket.open(provider(), Pair.CONFIG);
                client.nonblocking(true);
                assertThrows(ErrnoException.class, () -> client.connect(Pair.addressOf(listener)));
                if (0 != (i & 1))
                {
                    Thread.sleep(1);
                }
                client.close();
                assertEquals(StreamRsocket.POLLNVAL, client.pollEvents());
            }
        }
        assertTrue(Pair.within(5_000, () -> before == StreamRsocket.openEndpoints()), "endpoints left open: " + (StreamRsocket.openEndpoints() - before));
    }
}
