package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.verbs.VerbsContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.common.Errno.*;
import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/** rsetsockopt and rgetsockopt: values, C's doubling and clamping, refusal once connecting, the flags. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class OptionsConformance extends PosixFixture
{
    static int get(final int fd, final int level, final int name)
    {
        final int[] v = {-1};
        assertEquals(0, rgetsockopt(fd, level, name, v), () -> "rgetsockopt " + name + ": " + strerror(errno()));
        return v[0];
    }

    static void set(final int fd, final int level, final int name, final int value)
    {
        assertEquals(0, rsetsockopt(fd, level, name, value), () -> "rsetsockopt " + name + ": " + strerror(errno()));
    }

    @Test
    public void shouldStartWithCsDefaults()
    {
        final int fd = socket(AF_INET);
        final RsocketConfig c = RsocketConfig.process();
        assertEquals(c.memDefault(), get(fd, SOL_SOCKET, SO_RCVBUF));
        assertEquals(c.wmemDefault(), get(fd, SOL_SOCKET, SO_SNDBUF));
        assertEquals(c.sqSizeDefault(), get(fd, SOL_RDMA, RDMA_SQSIZE));
        assertEquals(c.rqSizeDefault(), get(fd, SOL_RDMA, RDMA_RQSIZE));
        assertEquals(c.inlineDefault(), get(fd, SOL_RDMA, RDMA_INLINE));
        assertEquals(c.iomapSize(), get(fd, SOL_RDMA, RDMA_IOMAPSIZE));
        for (final int flag : new int[] {SO_REUSEADDR, SO_KEEPALIVE, SO_OOBINLINE, SO_ERROR, SO_BROADCAST})
        {
            assertEquals(0, get(fd, SOL_SOCKET, flag), "option " + flag);
        }
        assertEquals(0, get(fd, IPPROTO_TCP, TCP_NODELAY));
        assertEquals(0, get(fd, IPPROTO_IPV6, IPV6_V6ONLY));
        assertEquals(2048, get(fd, IPPROTO_TCP, TCP_MAXSEG), "C's value without a path");
        assertEquals(1, get(fd, IPPROTO_TCP, TCP_KEEPINTVL));
        assertEquals(1, get(fd, IPPROTO_TCP, TCP_KEEPCNT));
        assertEquals(0, get(fd, IPPROTO_TCP, TCP_KEEPIDLE));
        final int[] linger = {-1, -1};
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_LINGER, linger));
        assertArrayEquals(new int[] {1, 0}, linger, "C reports linger as on until switched off");
    }

    @Test
    public void shouldSetAndReadBackAsC()
    {
        final int fd = socket(AF_INET);
        set(fd, SOL_SOCKET, SO_RCVBUF, 100_000);
        assertEquals(200_000, get(fd, SOL_SOCKET, SO_RCVBUF), "the ring is twice the value");
        set(fd, SOL_SOCKET, SO_SNDBUF, 100);
        assertEquals(4096, get(fd, SOL_SOCKET, SO_SNDBUF), "below RS_SNDLOWAT: twice RS_SNDLOWAT");
        set(fd, SOL_RDMA, RDMA_SQSIZE, 1 << 20);
        assertEquals(0xFFFE, get(fd, SOL_RDMA, RDMA_SQSIZE), "capped at RS_QP_MAX_SIZE");
        set(fd, SOL_RDMA, RDMA_RQSIZE, -1);
        assertEquals(0xFFFE, get(fd, SOL_RDMA, RDMA_RQSIZE), "read as uint32_t, as C");
        set(fd, SOL_RDMA, RDMA_INLINE, 128);
        assertEquals(128, get(fd, SOL_RDMA, RDMA_INLINE));
        set(fd, SOL_RDMA, RDMA_IOMAPSIZE, 300);
        assertEquals(RsocketConfig.roundIomapSize(300), get(fd, SOL_RDMA, RDMA_IOMAPSIZE));
        assertFails(EINVAL.code(), rsetsockopt(fd, SOL_RDMA, RDMA_IOMAPSIZE, -1));
        set(fd, IPPROTO_TCP, TCP_NODELAY, 5);
        assertEquals(1, get(fd, IPPROTO_TCP, TCP_NODELAY), "any non-zero value is on");
        set(fd, SOL_SOCKET, SO_OOBINLINE, 1);
        assertEquals(1, get(fd, SOL_SOCKET, SO_OOBINLINE));
        set(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        assertEquals(1, get(fd, SOL_SOCKET, SO_REUSEADDR));
        set(fd, IPPROTO_TCP, TCP_MAXSEG, 536);
        assertEquals(2048, get(fd, IPPROTO_TCP, TCP_MAXSEG), "accepted and ignored, as C");
        set(fd, IPPROTO_TCP, TCP_KEEPINTVL, 9);
        set(fd, IPPROTO_TCP, TCP_KEEPIDLE, 30);
        assertEquals(30, get(fd, IPPROTO_TCP, TCP_KEEPIDLE));
        assertFails(EINVAL.code(), rsetsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, 0));
        set(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
        assertEquals(1, get(fd, SOL_SOCKET, SO_KEEPALIVE));

        assertEquals(0, rsetsockopt(fd, SOL_SOCKET, SO_LINGER, new int[] {0, 5}));
        final int[] linger = {-1, -1};
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_LINGER, linger));
        assertArrayEquals(new int[] {0, 0}, linger);
        assertEquals(0, rsetsockopt(fd, SOL_SOCKET, SO_LINGER, new int[] {1, 7}));
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_LINGER, linger));
        assertArrayEquals(new int[] {1, 0}, linger, "l_linger reads 0 whatever was set, as C");
    }

    @Test
    public void shouldTakeCsRawOptvalAndOptlen()
    {
        final int fd = socket(AF_INET);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment v = arena.allocate(16);
            final int[] len = {16};
            v.set(ValueLayout.JAVA_INT, 0, 50_000);
            assertEquals(0, rsetsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, 4));
            assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, len));
            assertEquals(4, len[0]);
            assertEquals(100_000, v.get(ValueLayout.JAVA_INT, 0));
            assertFails(EINVAL.code(), rsetsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, 2));
            len[0] = 3;
            assertFails(EINVAL.code(), rgetsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, len));
            assertFails(EINVAL.code(), rsetsockopt(fd, SOL_SOCKET, SO_RCVBUF, v, 17));

            v.set(ValueLayout.JAVA_INT, 0, 0);
            v.set(ValueLayout.JAVA_INT, 4, 9);
            assertEquals(0, rsetsockopt(fd, SOL_SOCKET, SO_LINGER, v, 8), "struct linger {0, 9}");
            assertFails(EINVAL.code(), rsetsockopt(fd, SOL_SOCKET, SO_LINGER, v, 4));
            len[0] = 16;
            v.fill((byte)0x55);
            assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_LINGER, v, len));
            assertEquals(8, len[0]);
            assertEquals(0, v.get(ValueLayout.JAVA_INT, 0));
            assertEquals(0, v.get(ValueLayout.JAVA_INT, 4));
        }
    }

    @Test
    public void shouldRefuseUnknownOptionsWithEnotsupAndStructsGivenAsIntsWithEinval()
    {
        final int fd = socket(AF_INET);
        assertFails(ENOTSUP.code(), rsetsockopt(fd, SOL_SOCKET, 99, 1));
        assertFails(ENOTSUP.code(), rgetsockopt(fd, SOL_SOCKET, 99, new int[1]));
        assertFails(ENOTSUP.code(), rsetsockopt(fd, 1234, 1, 1));
        assertFails(ENOTSUP.code(), rsetsockopt(fd, IPPROTO_IP, 1, 16), "IP_TOS: the verbs SPI has no TOS");
        assertFails(ENOTSUP.code(), rsetsockopt(fd, SOL_SOCKET, SO_ERROR, 0), "SO_ERROR is read-only");
        assertFails(ENOTSUP.code(), rsetsockopt(fd, SOL_RDMA, 77, 1));
        assertFails(EINVAL.code(), rsetsockopt(fd, SOL_SOCKET, SO_LINGER, 1));
        assertFails(EINVAL.code(), rgetsockopt(fd, SOL_SOCKET, SO_LINGER, new int[1]));
        assertFails(EINVAL.code(), rsetsockopt(fd, SOL_RDMA, RDMA_ROUTE, 1));
        assertFails(EFAULT.code(), rgetsockopt(fd, SOL_SOCKET, SO_RCVBUF, (int[])null));
    }

    @Test
    public void shouldRefuseSolRdmaOnceConnectingAndIgnoreBufferSizesAsC() throws Exception
    {
        final int[] p = pair(AF_INET);
        for (final int fd : p)
        {
            for (final int name : new int[] {RDMA_SQSIZE, RDMA_RQSIZE, RDMA_INLINE, RDMA_IOMAPSIZE})
            {
                final int before = get(fd, SOL_RDMA, name);
                assertFails(EINVAL.code(), rsetsockopt(fd, SOL_RDMA, name, 32));
                assertEquals(before, get(fd, SOL_RDMA, name), "unchanged");
            }
            final int rcvbuf = get(fd, SOL_SOCKET, SO_RCVBUF);
            set(fd, SOL_SOCKET, SO_RCVBUF, 4096);
            assertEquals(rcvbuf, get(fd, SOL_SOCKET, SO_RCVBUF), "accepted and ignored once the buffers exist");
            assertFails(EINVAL.code(), rsetsockopt(fd, SOL_RDMA, RDMA_ROUTE, byte72(), 72));
            assertFails(EINVAL.code(), rsetsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1));
            set(fd, IPPROTO_TCP, TCP_NODELAY, 1);
            set(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            assertTrue(get(fd, IPPROTO_TCP, TCP_KEEPIDLE) > 0, "the system's keepalive time once on");
            assertEquals(portMtu(), get(fd, IPPROTO_TCP, TCP_MAXSEG), "the port's MTU once connected");
        }
        sendAll(p[0], new byte[] {1});
        assertArrayEquals(new byte[] {1}, recvAll(p[1], 1));
    }

    @Test
    public void shouldPassListenerSizesToAcceptedSockets()
    {
        final int l = listener(AF_INET);
        set(l, SOL_RDMA, RDMA_RQSIZE, 32);
        set(l, SOL_RDMA, RDMA_SQSIZE, 48);
        set(l, SOL_SOCKET, SO_RCVBUF, 8192);
        set(l, SOL_SOCKET, SO_KEEPALIVE, 1);
        final int client = socket(AF_INET);
        assertEquals(0, rconnect(client, addressOf(l)));
        final int server = track(raccept(l, null));
        assertEquals(32, get(server, SOL_RDMA, RDMA_RQSIZE));
        assertEquals(48, get(server, SOL_RDMA, RDMA_SQSIZE));
        assertEquals(16_384, get(server, SOL_SOCKET, SO_RCVBUF));
        assertEquals(0, get(server, SOL_SOCKET, SO_KEEPALIVE), "flags are not inherited, as C");
        final byte[] data = random(200_000, 3);
        final java.util.concurrent.Future<Void> w = async(() ->
        {
            sendAll(client, data);
            return null;
        });
        assertEquals(crc(data), crc(recvAll(server, data.length)));
        assertDoesNotThrow(() -> w.get(20, TimeUnit.SECONDS));
    }

    @Test
    public void shouldStoreARouteUntilConnecting()
    {
        final int fd = socket(AF_INET);
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment route = arena.allocate(144);
            for (int i = 0; i < 144; i++)
            {
                route.set(ValueLayout.JAVA_BYTE, i, (byte)i);
            }
            assertFails(EINVAL.code(), rsetsockopt(fd, SOL_RDMA, RDMA_ROUTE, route, 100), "not whole records");
            final MemorySegment out = arena.allocate(200);
            final int[] len = {200};
            assertEquals(0, rgetsockopt(fd, SOL_RDMA, RDMA_ROUTE, out, len));
            assertEquals(0, len[0], "no route set and no path records");
            assertEquals(0, rsetsockopt(fd, SOL_RDMA, RDMA_ROUTE, route, 144));
            len[0] = 100;
            assertFails(EINVAL.code(), rgetsockopt(fd, SOL_RDMA, RDMA_ROUTE, out, len));
            len[0] = 200;
            assertEquals(0, rgetsockopt(fd, SOL_RDMA, RDMA_ROUTE, out, len));
            assertEquals(144, len[0]);
            assertEquals(-1, route.mismatch(out.asSlice(0, 144)));
        }
    }

    @Test
    public void shouldKeepAnIpv6OnlySocketOffIpv4() throws Exception
    {
        final int fd = socket(AF_INET6);
        set(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
        assertEquals(1, get(fd, IPPROTO_IPV6, IPV6_V6ONLY));
        assertFails(EINVAL.code(), rbind(fd, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0)));
        assertFails(ENETUNREACH.code(), rconnect(fd, new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9)));

        // A listener on the IPv6 wildcard with IPV6_V6ONLY takes IPv6 peers and refuses IPv4 ones.
        final int l = socket(AF_INET6);
        assertEquals(0, rbind(l, new InetSocketAddress(InetAddress.getByName("::"), 0)));
        set(l, IPPROTO_IPV6, IPV6_V6ONLY, 1);
        assertEquals(0, rlisten(l, 4));
        assertFails(EINVAL.code(), rsetsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, 0), "fixed once listening");
        final int port = addressOf(l).getPort();
        assertFails(ECONNREFUSED.code(), rconnect(socket(AF_INET), new InetSocketAddress(loopback(AF_INET), port)));
        final int v6 = socket(AF_INET6);
        assertEquals(0, rconnect(v6, new InetSocketAddress(loopback(AF_INET6), port)), () -> strerror(errno()));
        assertTrue(track(raccept(l, null)) >= 0);
    }

    @Test
    public void shouldReuseAddressesOnlyBeforeBinding()
    {
        final int fd = socket(AF_INET);
        set(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        assertEquals(0, rbind(fd, new InetSocketAddress(loopback(AF_INET), 0)));
        assertFails(EINVAL.code(), rsetsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 0));
        assertEquals(1, get(fd, SOL_SOCKET, SO_REUSEADDR), "unchanged when refused");
    }

    private int portMtu() throws Exception
    {
        try (VerbsContext ctx = provider().devices().get(0).open())
        {
            return ctx.queryPort(1).activeMtu();
        }
    }

    private static MemorySegment byte72()
    {
        return MemorySegment.ofArray(new byte[72]);
    }
}
