package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.ErrnoCarrier;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.rsocket.RdmaSocketOptions;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.RdmaSocketOptions.*;
import static java.net.StandardSocketOptions.*;
import static org.junit.jupiter.api.Assertions.*;

/** Socket options: values, C's doubling and clamping, refusal once connecting, inheritance on accept. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class RdmaSocketOptionsConformance extends AbstractVerbsTest
{
    private Loopback loop;

    @AfterEach
    public void closeAll()
    {
        if (null != loop)
        {
            loop.close();
        }
    }

    @Test
    public void shouldStartWithTheConfiguredDefaults() throws Exception
    {
        try (RdmaSocket s = new RdmaSocket(provider()))
        {
            final RsocketConfig c = RsocketConfig.load();
            assertEquals(c.memDefault(), s.getOption(SO_RCVBUF));
            assertEquals(c.wmemDefault(), s.getOption(SO_SNDBUF));
            assertEquals(c.sqSizeDefault(), s.getOption(RDMA_SQSIZE));
            assertEquals(c.rqSizeDefault(), s.getOption(RDMA_RQSIZE));
            assertEquals(c.inlineDefault(), s.getOption(RDMA_INLINE));
            assertEquals(c.iomapSize(), s.getOption(RDMA_IOMAPSIZE));
            assertEquals(-1, s.getOption(SO_LINGER));
            assertFalse(s.getOption(TCP_NODELAY));
            assertFalse(s.getOption(SO_REUSEADDR));
            assertFalse(s.getOption(SO_KEEPALIVE));
        }
    }

    @Test
    public void shouldSetAndReadBackAsC() throws Exception
    {
        try (RdmaSocket s = new RdmaSocket(provider()))
        {
            assertSame(s, s.setOption(SO_RCVBUF, 100_000));
            assertEquals(200_000, s.getOption(SO_RCVBUF), "the ring is twice the value, as C");
            s.setOption(SO_SNDBUF, 100);
            assertEquals(4096, s.getOption(SO_SNDBUF), "at least twice the send low-water mark");
            s.setOption(RDMA_SQSIZE, 1 << 20);
            assertEquals(0xFFFE, s.getOption(RDMA_SQSIZE), "capped at RS_QP_MAX_SIZE");
            s.setOption(RDMA_RQSIZE, 64);
            assertEquals(64, s.getOption(RDMA_RQSIZE));
            s.setOption(RDMA_INLINE, 128);
            assertEquals(128, s.getOption(RDMA_INLINE));
            s.setOption(RDMA_IOMAPSIZE, 300);
            assertEquals(RsocketConfig.roundIomapSize(300), s.getOption(RDMA_IOMAPSIZE));
            s.setOption(TCP_NODELAY, true);
            assertTrue(s.getOption(TCP_NODELAY));
            s.setOption(SO_LINGER, 5);
            assertEquals(5, s.getOption(SO_LINGER));
            s.setOption(SO_LINGER, -3);
            assertEquals(-1, s.getOption(SO_LINGER));
            s.setOption(SO_REUSEADDR, true);
            assertTrue(s.getOption(SO_REUSEADDR));
        }
    }

    @Test
    public void shouldRejectBadValuesAndUnknownOptions() throws Exception
    {
        try (RdmaSocket s = new RdmaSocket(provider()))
        {
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SO_RCVBUF, 0));
            assertThrows(IllegalArgumentException.class, () -> s.setOption(SO_SNDBUF, -1));
            assertThrows(IllegalArgumentException.class, () -> s.setOption(RDMA_SQSIZE, -1));
            assertThrows(IllegalArgumentException.class, () -> s.setOption(TCP_NODELAY, null));
            assertThrows(UnsupportedOperationException.class, () -> s.setOption(StandardSocketOptions.IP_TOS, 4));
            assertThrows(UnsupportedOperationException.class, () -> s.getOption(SO_BROADCAST));
            assertTrue(s.supportedOptions().containsAll(java.util.Set.of(SO_RCVBUF, SO_SNDBUF, SO_LINGER,
                SO_REUSEADDR, TCP_NODELAY, SO_KEEPALIVE, RDMA_SQSIZE, RDMA_RQSIZE, RDMA_INLINE, RDMA_IOMAPSIZE)));
            assertEquals("RDMA_SQSIZE", RDMA_SQSIZE.name());
            assertEquals(Integer.class, RDMA_IOMAPSIZE.type());
        }
    }

    @Test
    public void shouldRefuseSizesOnceConnectedWithEinval() throws Exception
    {
        loop = new Loopback(provider()).connect();
        for (final RdmaSocket s : new RdmaSocket[] {loop.client, loop.server})
        {
            for (final SocketOption<Integer> o : java.util.List.of(SO_RCVBUF, SO_SNDBUF, RDMA_SQSIZE, RDMA_RQSIZE,
                RDMA_INLINE, RDMA_IOMAPSIZE))
            {
                final Integer before = s.getOption(o);
                final SocketException e = assertThrows(SocketException.class, () -> s.setOption(o, 4096), o.name());
                assertEquals(Errno.EINVAL.code(), ((ErrnoCarrier)e).errno());
                assertTrue(e.getMessage().startsWith("EINVAL: setOption(" + o.name() + "): buffer and queue sizes" +
                    " are fixed once connecting"), e.getMessage());
                assertEquals(before, s.getOption(o), "unchanged");
            }
            // Flags remain settable; keepalive starts probing a connected socket.
            s.setOption(TCP_NODELAY, true);
            assertTrue(s.getOption(TCP_NODELAY));
            s.setOption(SO_KEEPALIVE, true);
            assertTrue(s.getOption(SO_KEEPALIVE));
        }
    }

    @Test
    public void shouldPassListenerOptionsToAcceptedSockets() throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.setOption(SO_RCVBUF, 8192).setOption(SO_SNDBUF, 16_384).setOption(RDMA_RQSIZE, 32)
            .setOption(RDMA_SQSIZE, 48);
        assertEquals(16_384, loop.listener.getOption(SO_RCVBUF));
        assertThrows(UnsupportedOperationException.class, () -> loop.listener.setOption(SO_LINGER, 1));
        assertThrows(UnsupportedOperationException.class, () -> loop.listener.setOption(SO_KEEPALIVE, true));
        loop.connect();
        assertEquals(16_384, loop.server.getOption(SO_RCVBUF));
        assertEquals(32_768, loop.server.getOption(SO_SNDBUF));
        assertEquals(32, loop.server.getOption(RDMA_RQSIZE));
        assertEquals(48, loop.server.getOption(RDMA_SQSIZE));
        // The connection works with the inherited sizes.
        final java.util.concurrent.Future<Void> writer = loop.async(() ->
        {
            loop.client.getOutputStream().write(new byte[100_000]);
            return null;
        });
        assertEquals(100_000, loop.server.getInputStream().readNBytes(100_000).length);
        writer.get(20, TimeUnit.SECONDS);
    }
}
