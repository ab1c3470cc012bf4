package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PortSpace;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that are not this provider on a listening port, and impossible frames on an established
 * connection: closed without harm to other connections, never an exception on a reactor thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpGarbageClientTest
{
    private static final long HANDSHAKE_TIMEOUT_MS = 600;
    private static final TcpVerbsProvider PROVIDER = new TcpVerbsProvider();

    @BeforeAll
    static void shortHandshakeTimeout()
    {
        System.setProperty(TcpConfiguration.HANDSHAKE_TIMEOUT_PROP_NAME, Long.toString(HANDSHAKE_TIMEOUT_MS));
    }

    @AfterAll
    static void restoreHandshakeTimeout()
    {
        System.clearProperty(TcpConfiguration.HANDSHAKE_TIMEOUT_PROP_NAME);
    }

    @Test
    void shouldCloseGarbageAtOnceAndSilenceAfterTheHandshakeTimeout() throws Exception
    {
        try (Listener listener = Listener.open(PROVIDER, InetAddress.getLoopbackAddress(), 0, 16);
            RcPair established = RcPair.connect(PROVIDER, InetAddress.getLoopbackAddress(), PairSpec.defaults());
            Socket http = connect(listener);
            Socket badMagic = connect(listener);
            Socket hugeLength = connect(listener);
            Socket truncated = connect(listener);
            Socket silent = connect(listener))
        {
            http.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            final byte[] request = CmFrames.connect(TYPE_REQ, PortSpace.TCP.code(), 1,
                ConnectionParameters.rsocketDefaults(new byte[40]));
            request[HEADER_LENGTH] ^= 0x55;
            badMagic.getOutputStream().write(request);
            final byte[] huge = new byte[HEADER_LENGTH];
            putHeader(MemorySegment.ofArray(huge), 0, TYPE_REQ, 0, 0, Integer.MAX_VALUE, 0, 0, 0, 0, 0);
            hugeLength.getOutputStream().write(huge);
            truncated.getOutputStream().write(request, 0, 10);
            final long startNs = System.nanoTime();

            assertClosedWithin(http, 3000, "an HTTP request");
            assertClosedWithin(badMagic, 3000, "a REQ with a wrong magic");
            assertClosedWithin(hugeLength, 3000, "a REQ claiming 2 GiB");
            assertClosedWithin(truncated, 5000, "a truncated REQ");
            assertClosedWithin(silent, 5000, "a silent client");
            final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(elapsedMs >= HANDSHAKE_TIMEOUT_MS - 100, "silence tolerated until the timeout: " + elapsedMs);

            assertNull(listener.events.poll(e -> true, Duration.ofMillis(200)), "garbage must not reach the CM");
            established.server.postEmptyReceive(1);
            final var src = established.client.register(64, Access.LOCAL_WRITE);
            final var dst = established.server.register(64, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            established.client.post(1, io.rdmasockets.verbs.WrOpcode.RDMA_WRITE_WITH_IMM,
                io.rdmasockets.verbs.SendFlags.SIGNALED, src, 0, 64, dst.address(), dst.rkey(), 7);
            assertEquals(WcStatus.SUCCESS, established.client.awaitSendCompletion().status());
            assertEquals(WcStatus.SUCCESS, established.server.awaitRecvCompletion().status());
            src.close();
            dst.close();
        }
    }

    @Test
    void shouldNakBadRkeyAndFailOnImpossibleFrameAfterHandshake() throws Exception
    {
        try (Listener listener = Listener.open(PROVIDER, InetAddress.getLoopbackAddress(), 0, 16);
            Socket raw = connect(listener))
        {
            raw.getOutputStream().write(CmFrames.connect(TYPE_REQ, PortSpace.TCP.code(), 77,
                ConnectionParameters.rsocketDefaults(new byte[40])));
            try (RcEndpoint server = accept(listener))
            {
                final DataInputStream in = new DataInputStream(raw.getInputStream());
                final MemorySegment rep = readFrame(in);
                assertEquals(TYPE_REP, type(rep, 0));
                assertEquals(MAGIC, cmMagic(rep, HEADER_LENGTH));
                assertEquals(server.qp.qpNumber(), cmQpn(rep, HEADER_LENGTH));
                raw.getOutputStream().write(CmFrames.bare(TYPE_RTU));
                listener.events.await(CmEventType.ESTABLISHED, server.id, Duration.ofSeconds(5));

                final var target = server.register(64, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
                final byte[] write = new byte[HEADER_LENGTH + 8];
                putHeader(MemorySegment.ofArray(write), 0, TYPE_WRITE, 0, 0, 8, 0, -1, 0, target.rkey() ^ 1,
                    target.address());
                raw.getOutputStream().write(write);
                final MemorySegment nak = readFrame(in);
                assertEquals(TYPE_NAK, type(nak, 0), "a write with a wrong rkey is refused at the target");
                assertEquals(WcStatus.REM_ACCESS_ERR.code(), status(nak, 0));
                assertEquals(0, psn(nak, 0));
                server.awaitState(QpState.ERR);
                Tests.assertAllBytes(target.segment(), (byte)0, "target memory untouched");

                final byte[] bogus = new byte[HEADER_LENGTH];
                putHeader(MemorySegment.ofArray(bogus), 0, 99, 0, 0, 0, 1, -1, 0, 0, 0);
                raw.getOutputStream().write(bogus);
                final CmEvent gone = listener.events.await(CmEventType.DISCONNECTED, server.id, Duration.ofSeconds(5));
                assertEquals(CmEventType.DISCONNECTED, gone.type());
                assertClosedWithin(raw, 3000, "a connection that sent an unknown frame type");
                target.close();
            }
        }
    }

    @Test
    void shouldFailOutstandingSendsWhenThePeerVanishes() throws Exception
    {
        try (Listener listener = Listener.open(PROVIDER, InetAddress.getLoopbackAddress(), 0, 16))
        {
            final Socket raw = connect(listener);
            raw.getOutputStream().write(CmFrames.connect(TYPE_REQ, PortSpace.TCP.code(), 78,
                ConnectionParameters.rsocketDefaults(new byte[40])));
            try (RcEndpoint server = accept(listener))
            {
                final DataInputStream in = new DataInputStream(raw.getInputStream());
                readFrame(in);
                raw.getOutputStream().write(CmFrames.bare(TYPE_RTU));
                listener.events.await(CmEventType.ESTABLISHED, server.id, Duration.ofSeconds(5));
                final var src = server.register(64, Access.LOCAL_WRITE);
                server.post(1, io.rdmasockets.verbs.WrOpcode.SEND, io.rdmasockets.verbs.SendFlags.SIGNALED, src, 0, 64,
                    0, 0, 0);
                server.post(2, io.rdmasockets.verbs.WrOpcode.SEND, io.rdmasockets.verbs.SendFlags.SIGNALED, src, 0, 64,
                    0, 0, 0);
                raw.close();
                final java.util.List<Wc> failed = server.awaitSendCompletions(2);
                assertEquals(WcStatus.RETRY_EXC_ERR, failed.get(0).status(), failed::toString);
                assertEquals(WcStatus.WR_FLUSH_ERR, failed.get(1).status(), failed::toString);
                listener.events.await(CmEventType.DISCONNECTED, server.id, Duration.ofSeconds(5));
                src.close();
            }
        }
    }

    private static RcEndpoint accept(final Listener listener) throws Exception
    {
        final RcEndpoint server = RcEndpoint.forRequest(listener, listener.awaitRequest(Duration.ofSeconds(5)),
            PairSpec.defaults());
        server.id.accept(PairSpec.defaults().acceptParameters());
        return server;
    }

    private static Socket connect(final Listener listener) throws IOException
    {
        final Socket s = new Socket(listener.address.getAddress(), listener.address.getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static MemorySegment readFrame(final DataInputStream in) throws IOException
    {
        final byte[] header = new byte[HEADER_LENGTH];
        in.readFully(header);
        final int body = (int)bodyLength(type(MemorySegment.ofArray(header), 0), length(MemorySegment.ofArray(header), 0));
        final byte[] frame = new byte[HEADER_LENGTH + body];
        System.arraycopy(header, 0, frame, 0, HEADER_LENGTH);
        in.readFully(frame, HEADER_LENGTH, body);
        return MemorySegment.ofArray(frame);
    }

    private static void assertClosedWithin(final Socket socket, final int timeoutMs, final String what)
        throws IOException
    {
        socket.setSoTimeout(timeoutMs);
        final InputStream in = socket.getInputStream();
        try
        {
            int b;
            do
            {
                b = in.read();
            }
            while (b >= 0);
        }
        catch (final SocketTimeoutException ex)
        {
            throw new AssertionError(what + ": still open after " + timeoutMs + " ms", ex);
        }
        catch (final IOException reset)
        {
            // A reset is a close too.
        }
    }
}
