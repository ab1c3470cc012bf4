package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.posix.PollFd;
import io.rdmasockets.rsocket.posix.SockAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.common.Errno.*;
import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/** Setup and teardown calls: rsocket, rbind, rlisten, raccept, rconnect, rshutdown, rclose, names, rfcntl. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class SocketCallsConformance extends PosixFixture
{
    @Test
    public void shouldRefuseWhatRsocketDoesNotTakeWithEnotsup()
    {
        assertFails(ENOTSUP.code(), rsocket(provider(), AF_IB, SOCK_STREAM, 0));
        assertFails(ENOTSUP.code(), rsocket(provider(), 1, SOCK_STREAM, 0));
        assertFails(ENOTSUP.code(), rsocket(provider(), AF_INET, SOCK_DGRAM, 0));
        assertFails(ENOTSUP.code(), rsocket(provider(), AF_INET, 5, 0));
        assertFails(ENOTSUP.code(), rsocket(provider(), AF_INET, SOCK_STREAM, IPPROTO_UDP));
        assertFails(ENODEV.code(), rsocket(null, AF_INET, SOCK_STREAM, 0));
        final int fd = track(rsocket(provider(), AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP));
        assertTrue(fd >= 3, "descriptors start after the standard streams: " + fd);
        assertEquals(O_NONBLOCK, rfcntl(fd, F_GETFL));
        assertEquals(FD_CLOEXEC, rfcntl(fd, F_GETFD));
    }

    @Test
    public void shouldHandOutTheLowestFreeDescriptorAndReuseOnlyAfterClose()
    {
        final int a = socket(AF_INET);
        final int b = socket(AF_INET);
        final int c = socket(AF_INET);
        assertTrue(a < b && b < c, a + " " + b + " " + c);
        assertEquals(0, rclose(b));
        assertFails(EBADF.code(), rclose(b));
        assertFails(EBADF.code(), rbind(b, new InetSocketAddress(0)));
        final int d = socket(AF_INET);
        assertEquals(b, d, "the lowest free descriptor is reused");
        assertNotEquals(a, socket(AF_INET));
        assertFails(EBADF.code(), rclose(-1));
        assertFails(EBADF.code(), rclose(1 << 25));
    }

    @Test
    public void shouldFailEveryCallOnABadDescriptorWithEbadf()
    {
        final int fd = socket(AF_INET);
        assertEquals(0, rclose(fd));
        final SockAddr a = new SockAddr();
        assertFails(EBADF.code(), rlisten(fd, 1));
        assertFails(EBADF.code(), raccept(fd, a));
        assertFails(EBADF.code(), rconnect(fd, new InetSocketAddress(testAddress(), 1)));
        assertFails(EBADF.code(), rshutdown(fd, SHUT_RDWR));
        assertFails(EBADF.code(), rsend(fd, new byte[1], 0, 1, 0));
        assertFails(EBADF.code(), rrecv(fd, new byte[1], 0, 1, 0));
        assertFails(EBADF.code(), rgetpeername(fd, a));
        assertFails(EBADF.code(), rgetsockname(fd, a));
        assertFails(EBADF.code(), rsetsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1));
        assertFails(EBADF.code(), rgetsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, new int[1]));
        assertFails(EBADF.code(), rfcntl(fd, F_GETFL));
    }

    @Test
    public void shouldBindListenAcceptAndName()
    {
        final int l = listener(AF_INET);
        final InetSocketAddress at = addressOf(l);
        assertNotEquals(0, at.getPort());
        assertEquals(0, rlisten(l, 16), "listening again is fine, as C");
        final int client = socket(AF_INET);
        final SockAddr name = new SockAddr();
        assertEquals(0, rgetsockname(client, name));
        assertEquals(new InetSocketAddress(0).getPort(), name.address().getPort());
        assertTrue(name.address().getAddress().isAnyLocalAddress(), "unbound: the wildcard, " + name);
        assertEquals(AF_INET, name.family());
        assertFails(ENOTCONN.code(), rgetpeername(client, name));

        assertEquals(0, rconnect(client, at));
        final SockAddr peer = new SockAddr();
        final int server = track(raccept(l, peer));
        assertTrue(server > client, "accepted " + server);
        assertEquals(0, rgetsockname(client, name));
        assertEquals(peer.address(), name.address(), "raccept names the client as the client names itself");
        assertEquals(0, rgetpeername(client, name));
        assertEquals(at, name.address());
        assertEquals(0, rgetpeername(server, name));
        assertEquals(peer.address(), name.address());

        assertFails(EINVAL.code(), rbind(client, new InetSocketAddress(testAddress(), 0)));
        assertFails(EFAULT.code(), rbind(socket(AF_INET), null));
        assertFails(EINVAL.code(), rbind(socket(AF_INET), InetSocketAddress.createUnresolved("localhost", 0)));
        assertFails(EFAULT.code(), rgetsockname(client, null));
    }

    @Test
    public void shouldRefuseABusyAddressWithEaddrinuse()
    {
        final int l = listener(AF_INET);
        assertFails(EADDRINUSE.code(), rbind(socket(AF_INET), addressOf(l)));
    }

    @Test
    public void shouldAcceptAsCDoesOnTheWrongSockets()
    {
        // C answers EBADF on a socket that is not listening (Linux says EINVAL).
        assertFails(EBADF.code(), raccept(socket(AF_INET), null));
        final int[] p = pair(AF_INET);
        assertFails(EBADF.code(), raccept(p[0], null));
        final int l = listener(AF_INET);
        assertEquals(0, rfcntl(l, F_SETFL, O_NONBLOCK));
        assertFails(EAGAIN.code(), raccept(l, null));
    }

    @Test
    public void shouldWakeABlockedAcceptWhenTheListenerCloses() throws Exception
    {
        final int l = listener(AF_INET);
        final Future<Integer> accept = async(() -> raccept(l, null) < 0 ? errno() : 0);
        Thread.sleep(200);
        assertFalse(accept.isDone());
        assertEquals(0, rclose(l));
        assertEquals(EBADF.code(), accept.get(10, TimeUnit.SECONDS));
    }

    @Test
    public void shouldGiveAcceptedSocketsTheListenersFlags()
    {
        final int l = listener(AF_INET);
        assertEquals(0, rfcntl(l, F_SETFL, O_NONBLOCK | 0x400));
        assertEquals(0, rfcntl(l, F_SETFD, FD_CLOEXEC));
        final int client = socket(AF_INET);
        assertEquals(0, rconnect(client, addressOf(l)));
        int server;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((server = raccept(l, null)) < 0)
        {
            assertEquals(EAGAIN.code(), errno());
            assertTrue(System.nanoTime() < deadline, "no connection to accept");
            Thread.onSpinWait();
        }
        track(server);
        assertEquals(O_NONBLOCK | 0x400, rfcntl(server, F_GETFL), "C keeps every bit given to F_SETFL");
        assertEquals(FD_CLOEXEC, rfcntl(server, F_GETFD));
        assertFails(EAGAIN.code(), rrecv(server, new byte[1], 0, 1, 0));
        assertFails(ENOTSUP.code(), rfcntl(server, 99));
    }

    @Test
    public void shouldRefuseAConnectNobodyListensForWithEconnrefused() throws Exception
    {
        final int fd = socket(AF_INET);
        assertFails(ECONNREFUSED.code(), rconnect(fd, closedPort()));
        final int[] err = new int[1];
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_ERROR, err));
        assertEquals(ECONNREFUSED.code(), err[0], "C keeps the error of a blocking connect in SO_ERROR too");
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_ERROR, err));
        assertEquals(0, err[0], "SO_ERROR clears once read");
        assertFails(ENOTCONN.code(), rconnect(fd, closedPort()));
        assertFails(ENOTCONN.code(), rsend(fd, new byte[1], 0, 1, 0));
    }

    @Test
    public void shouldConnectInTheBackgroundWhenNonblocking() throws Exception
    {
        final int l = listener(AF_INET);
        final int fd = socket(AF_INET);
        assertEquals(0, rfcntl(fd, F_SETFL, O_NONBLOCK));
        assertFails(EINPROGRESS.code(), rconnect(fd, addressOf(l)));
        final PollFd[] p = {new PollFd(fd, POLLOUT)};
        assertEquals(1, rpoll(p, 1, 10_000), "the connect finishes without the program calling in");
        assertEquals(POLLOUT, p[0].revents());
        final int[] err = {-1};
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_ERROR, err));
        assertEquals(0, err[0]);
        assertEquals(0, rconnect(fd, addressOf(l)), "C answers 0 once connected");
        final int server = track(raccept(l, null));
        assertTrue(server >= 0);
        sendAll(fd, new byte[] {1, 2, 3});
        assertEquals(0, rfcntl(server, F_SETFL, 0));
        assertArrayEquals(new byte[] {1, 2, 3}, recvAll(server, 3));
    }

    @Test
    public void shouldReportAFailedNonblockingConnectThroughPollAndSoError() throws Exception
    {
        final int fd = track(rsocket(provider(), AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0));
        assertFails(EINPROGRESS.code(), rconnect(fd, closedPort()));
        final PollFd[] p = {new PollFd(fd, POLLOUT)};
        assertEquals(1, rpoll(p, 1, 10_000));
        assertEquals(POLLOUT | POLLERR, p[0].revents(), "POLLIN is reported only when asked for");
        final int[] err = {-1};
        assertEquals(0, rgetsockopt(fd, SOL_SOCKET, SO_ERROR, err));
        assertEquals(ECONNREFUSED.code(), err[0]);
    }

    @Test
    public void shouldAnswerEinprogressWhileAConnectIsUnderWay() throws Exception
    {
        // A port that takes TCP connections but never answers the rsocket handshake keeps the connect going.
        try (ServerSocket silent = new ServerSocket(0, 1, testAddress()))
        {
            final int fd = socket(AF_INET);
            assertEquals(0, rfcntl(fd, F_SETFL, O_NONBLOCK));
            final InetSocketAddress to = new InetSocketAddress(testAddress(), silent.getLocalPort());
            assertFails(EINPROGRESS.code(), rconnect(fd, to));
            assertFails(EINPROGRESS.code(), rconnect(fd, to));
            assertFails(EAGAIN.code(), rsend(fd, new byte[1], 0, 1, 0));
            assertFails(EAGAIN.code(), rrecv(fd, new byte[1], 0, 1, 0));
            final PollFd[] p = {new PollFd(fd, POLLIN | POLLOUT)};
            assertEquals(0, rpoll(p, 1, 50));
            assertEquals(0, p[0].revents());
        }
    }

    @Test
    public void shouldRefuseAConnectOnAListenerWithEinval()
    {
        final int l = listener(AF_INET);
        assertFails(EINVAL.code(), rconnect(l, addressOf(l)));
    }

    @Test
    public void shouldShutDownAsC()
    {
        final int[] p = pair(AF_INET);
        assertEquals(0, rshutdown(socket(AF_INET), SHUT_RDWR), "C answers 0 on a socket never connected");
        assertFails(EINVAL.code(), rshutdown(p[0], 7));
        assertEquals(0, rshutdown(p[0], SHUT_WR));
        assertFails(EPIPE.code(), rsend(p[0], new byte[1], 0, 1, 0));
        assertEquals(0, rrecv(p[1], new byte[1], 0, 1, 0), "the peer reads the end of the stream");
        sendAll(p[1], new byte[] {9});
        assertArrayEquals(new byte[] {9}, recvAll(p[0], 1), "a half-closed socket still reads");
        assertEquals(0, rshutdown(p[1], SHUT_RDWR));
        assertEquals(0, rrecv(p[0], new byte[1], 0, 1, 0));
    }

    @Test
    public void shouldWakeABlockedReceiveWhenClosed() throws Exception
    {
        final int[] p = pair(AF_INET);
        final Future<Integer> recv = async(() -> rrecv(p[0], new byte[1], 0, 1, 0) < 0 ? errno() : 0);
        Thread.sleep(200);
        assertFalse(recv.isDone());
        assertEquals(0, rclose(p[0]));
        // rclose shuts the socket down first, as C: the reader sees the end of the stream, or EBADF when the
        // release overtook it.
        final int got = recv.get(10, TimeUnit.SECONDS);
        assertTrue(0 == got || EBADF.code() == got, "rrecv ended with " + strerror(got));
        assertEquals(0, rrecv(p[1], new byte[1], 0, 1, 0), "the peer sees the end of the stream");
    }

    @Test
    public void shouldTakeIpv4AddressesOnIpv6SocketsAsMapped() throws Exception
    {
        final int l = listener(AF_INET6);
        final InetSocketAddress at = addressOf(l);
        assertInstanceOf(Inet6Address.class, at.getAddress());
        final int[] v6 = {socket(AF_INET6)};
        assertEquals(0, rconnect(v6[0], at), () -> strerror(errno()));
        track(raccept(l, null));

        // An AF_INET6 listener on the wildcard takes IPv4 peers; an IPv4-mapped destination is used as IPv4.
        final int any = socket(AF_INET6);
        assertEquals(0, rbind(any, new InetSocketAddress(InetAddress.getByName("::"), 0)));
        assertEquals(0, rlisten(any, 4));
        final int port = addressOf(any).getPort();
        final byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte)0xFF, (byte)0xFF, 127, 0, 0, 1};
        final InetSocketAddress viaMapped = new InetSocketAddress(Inet6Address.getByAddress(null, mapped, -1), port);
        assertInstanceOf(Inet6Address.class, viaMapped.getAddress(), "the test really passes an IPv6 address");
        final int client = socket(AF_INET6);
        assertEquals(0, rconnect(client, viaMapped), () -> strerror(errno()));
        final SockAddr peer = new SockAddr();
        track(raccept(any, peer));
        assertEquals(AF_INET, peer.family(), "the peer is IPv4: " + peer);
        sendAll(client, new byte[] {5});
        final SockAddr name = new SockAddr();
        assertEquals(0, rgetpeername(client, name));
        assertEquals(InetAddress.getByName("127.0.0.1"), name.address().getAddress());

        // On AF_INET the mapped address is IPv4 too; a real IPv6 address is refused.
        final int v4 = socket(AF_INET);
        assertEquals(0, rconnect(v4, viaMapped), () -> strerror(errno()));
        track(raccept(any, null));
        assertFails(EAFNOSUPPORT.code(), rconnect(socket(AF_INET), at));
        assertFails(EAFNOSUPPORT.code(), rbind(socket(AF_INET), at));
        final SockAddr unbound = new SockAddr();
        assertEquals(0, rgetsockname(socket(AF_INET6), unbound));
        assertEquals(AF_INET6, unbound.family());
    }

    /** @return a loopback port nobody listens on (a kernel port, closed). */
    static InetSocketAddress closedPort() throws Exception
    {
        try (ServerSocket probe = new ServerSocket(0, 1, testAddress()))
        {
            return new InetSocketAddress(testAddress(), probe.getLocalPort());
        }
    }
}
