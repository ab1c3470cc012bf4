package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.ErrnoCarrier;
import io.rdmasockets.rsocket.RdmaServerSocket;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.VerbsContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.RdmaSocketOptions.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The options {@link RdmaSocket} gained with the engine's C option table: SO_OOBINLINE, TCP_MAXSEG, IPV6_V6ONLY and
 * RDMA_ROUTE, with the same rules as {@code rsetsockopt}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RdmaSocketMoreOptionsConformance extends AbstractVerbsTest
{
    @Test
    public void shouldKeepTheFlagsAndReportTheSegmentSize() throws Exception
    {
        try (RdmaServerSocket server = new RdmaServerSocket(provider());
             RdmaSocket client = new RdmaSocket(provider()))
        {
            assertTrue(client.supportedOptions().containsAll(java.util.Set.of(SO_OOBINLINE, TCP_MAXSEG, IPV6_V6ONLY,
                RDMA_ROUTE)));
            assertFalse(client.getOption(SO_OOBINLINE));
            client.setOption(SO_OOBINLINE, true);
            assertTrue(client.getOption(SO_OOBINLINE));
            assertEquals(2048, client.getOption(TCP_MAXSEG), "C's value without a path");
            client.setOption(TCP_MAXSEG, 536);
            assertEquals(2048, client.getOption(TCP_MAXSEG), "accepted and ignored, as C");
            assertEquals(0, client.getOption(RDMA_ROUTE).length);
            final byte[] route = new byte[72];
            route[3] = 9;
            client.setOption(RDMA_ROUTE, route);
            route[3] = 0;
            assertEquals(9, client.getOption(RDMA_ROUTE)[3], "the value was copied");
            assertEquals(Errno.EINVAL.code(), errnoOf(assertThrows(SocketException.class,
                () -> client.setOption(RDMA_ROUTE, new byte[10]))));

            server.bind(new InetSocketAddress(testAddress(), 0));
            client.connect(server.getLocalSocketAddress());
            try (RdmaSocket accepted = server.accept())
            {
                assertEquals(portMtu(), accepted.getOption(TCP_MAXSEG));
                assertEquals(portMtu(), client.getOption(TCP_MAXSEG));
                assertFalse(accepted.getOption(SO_OOBINLINE), "flags are not inherited, as C");
                final SocketException e = assertThrows(SocketException.class, () -> client.setOption(RDMA_ROUTE,
                    new byte[72]));
                assertEquals(Errno.EINVAL.code(), errnoOf(e));
                assertTrue(e.getMessage().contains("fixed once connecting"), e.getMessage());
                assertEquals(Errno.EINVAL.code(), errnoOf(assertThrows(SocketException.class,
                    () -> client.setOption(IPV6_V6ONLY, true))));
            }
        }
    }

    @Test
    public void shouldKeepAnIpv6OnlyListenerOffIpv4() throws Exception
    {
        try (RdmaServerSocket server = new RdmaServerSocket(provider()))
        {
            server.setOption(IPV6_V6ONLY, true);
            assertTrue(server.getOption(IPV6_V6ONLY));
            server.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
            final int port = ((InetSocketAddress)server.getLocalSocketAddress()).getPort();
            try (RdmaSocket v4 = new RdmaSocket(provider()))
            {
                final SocketException e = assertThrows(SocketException.class,
                    () -> v4.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port)));
                assertEquals(Errno.ECONNREFUSED.code(), errnoOf(e));
            }
            try (RdmaSocket v6 = new RdmaSocket(provider()))
            {
                v6.connect(new InetSocketAddress(InetAddress.getByName("::1"), port));
                try (RdmaSocket accepted = server.accept())
                {
                    v6.getOutputStream().write(5);
                    assertEquals(5, accepted.getInputStream().read());
                }
            }
        }
        try (RdmaSocket s = new RdmaSocket(provider()))
        {
            s.setOption(IPV6_V6ONLY, true);
            assertEquals(Errno.ENETUNREACH.code(), errnoOf(assertThrows(SocketException.class,
                () -> s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9)))));
        }
    }

    private int portMtu() throws Exception
    {
        try (VerbsContext ctx = provider().devices().get(0).open())
        {
            return ctx.queryPort(1).activeMtu();
        }
    }

    private static int errnoOf(final Exception e)
    {
        return ((ErrnoCarrier)e).errno();
    }
}
