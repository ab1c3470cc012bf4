package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.posix.FdSet;
import io.rdmasockets.rsocket.posix.PollFd;
import io.rdmasockets.rsocket.posix.Timeval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.common.Errno.*;
import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * rpoll and rselect over rsockets and JDK channels in one call: readiness rules, wakeups from every source,
 * timeouts. Time limits assert a wait ended within generous bounds on a busy two-core machine; they do not
 * measure speed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class PollConformance extends PosixFixture
{
    /** Long enough for a poll to have gone to sleep. */
    private static final long SETTLE_MS = 150;

    private SocketChannel jdkA;
    private SocketChannel jdkB;
    private Pipe pipe;

    @AfterEach
    public void closeChannels() throws Exception
    {
        for (final java.nio.channels.Channel c : new java.nio.channels.Channel[] {jdkA, jdkB,
            null == pipe ? null : pipe.source(), null == pipe ? null : pipe.sink()})
        {
            if (null != c)
            {
                c.close();
            }
        }
    }

    /** A connected pair of JDK socket channels; returns the descriptor of {@link #jdkB}. */
    private int jdkPair() throws Exception
    {
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(testAddress(), 0));
            jdkA = SocketChannel.open(server.getLocalAddress());
            jdkB = server.accept();
        }
        return track(rregister(jdkB));
    }

    private int pipeFd() throws Exception
    {
        pipe = Pipe.open();
        return track(rregister(pipe.source()));
    }

    @Test
    public void shouldReportReadinessAsC()
    {
        final int[] p = pair(AF_INET);
        final PollFd[] fds = {new PollFd(p[0], POLLIN | POLLOUT), new PollFd(p[1], POLLIN), new PollFd(-1, POLLIN),
            new PollFd(p[1], 0)};
        assertEquals(1, rpoll(fds, 4, 0));
        assertEquals(POLLOUT, fds[0].revents(), "room to send, nothing to read");
        assertEquals(0, fds[1].revents());
        assertEquals(0, fds[2].revents(), "a negative descriptor is skipped");
        sendAll(p[0], new byte[] {1});
        // Wait for the byte on the reader alone: fds[0] is writable at once and would end the wait early.
        assertEquals(1, rpoll(new PollFd[] {fds[1]}, 1, 5_000));
        assertEquals(2, rpoll(fds, 2, 0));
        assertEquals(POLLIN, fds[1].revents());
        assertEquals(2, rpoll(fds, 4, 0), "events 0: nothing asked, nothing reported");
        assertEquals(0, fds[3].revents());
        recvAll(p[1], 1);

        final int closed = socket(AF_INET);
        assertEquals(0, rclose(closed));
        fds[0].fd(closed).events(POLLIN);
        assertEquals(1, rpoll(fds, 1, 0));
        assertEquals(POLLNVAL, fds[0].revents(), "reported whether asked for or not");
        assertFails(EINVAL.code(), rpoll(fds, 5, 0));
        assertFails(EINVAL.code(), rpoll(fds, -1, 0));
        assertEquals(0, rpoll(null, 0, 0));
    }

    @Test
    public void shouldReportHangUpWhenThePeerLeaves() throws Exception
    {
        final int[] p = pair(AF_INET);
        final PollFd[] fds = {new PollFd(p[0], 0)};
        final Future<Integer> poll = async(() -> rpoll(fds, 1, -1));
        Thread.sleep(SETTLE_MS);
        assertFalse(poll.isDone());
        assertEquals(0, rclose(p[1]));
        assertEquals(1, poll.get(10, TimeUnit.SECONDS));
        assertEquals(POLLHUP, fds[0].revents() & ~POLLOUT, "POLLHUP though not asked for");
        fds[0].events(POLLIN);
        assertEquals(1, rpoll(fds, 1, 0));
        assertEquals(POLLIN | POLLHUP, fds[0].revents() & ~POLLOUT, "the end of the stream reads as POLLIN");
    }

    @Test
    public void shouldWakeOneCallForAnyOfRsocketsSocketChannelsAndPipes() throws Exception
    {
        final int[] p = pair(AF_INET);
        final int jdk = jdkPair();
        final int source = pipeFd();
        final PollFd[] fds = {new PollFd(p[1], POLLIN), new PollFd(jdk, POLLIN), new PollFd(source, POLLIN)};
        assertEquals(0, rpoll(fds, 3, 0));

        // Each source in turn wakes an rpoll that waits without limit, and only it is reported.
        for (int round = 0; round < 3; round++)
        {
            final Future<Integer> poll = async(() -> rpoll(fds, 3, -1));
            Thread.sleep(SETTLE_MS);
            assertFalse(poll.isDone(), "round " + round + ": nothing is ready yet");
            switch (round)
            {
                case 0 -> sendAll(p[0], new byte[] {7});
                case 1 -> jdkA.write(ByteBuffer.wrap(new byte[] {8}));
                default -> pipe.sink().write(ByteBuffer.wrap(new byte[] {9}));
            }
            assertEquals(1, poll.get(10, TimeUnit.SECONDS), "round " + round);
            for (int i = 0; i < 3; i++)
            {
                assertEquals(i == round ? POLLIN : 0, fds[i].revents(), "round " + round + ", fd " + i);
            }
            switch (round)
            {
                case 0 -> assertArrayEquals(new byte[] {7}, recvAll(p[1], 1));
                case 1 -> assertEquals(1, jdkB.read(ByteBuffer.allocate(1)));
                default -> assertEquals(1, pipe.source().read(ByteBuffer.allocate(1)));
            }
        }
        // All at once: all reported.
        sendAll(p[0], new byte[] {1});
        jdkA.write(ByteBuffer.wrap(new byte[] {2}));
        pipe.sink().write(ByteBuffer.wrap(new byte[] {3}));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        while ((n = rpoll(fds, 3, 1000)) < 3)
        {
            assertTrue(n >= 0 && System.nanoTime() < deadline, "rpoll: " + n);
        }
        assertEquals(POLLIN, fds[0].revents() & fds[1].revents() & fds[2].revents());
    }

    @Test
    public void shouldHonourTimeouts() throws Exception
    {
        final int[] p = pair(AF_INET);
        final int source = pipeFd();
        final PollFd[] fds = {new PollFd(p[1], POLLIN), new PollFd(source, POLLIN)};
        long start = System.nanoTime();
        assertEquals(0, rpoll(fds, 2, 0));
        assertTrue(elapsedMs(start) < 1000, "a 0 timeout does not wait: " + elapsedMs(start));
        for (final int timeout : new int[] {1, 120, 1_100})
        {
            start = System.nanoTime();
            assertEquals(0, rpoll(fds, 2, timeout));
            final long took = elapsedMs(start);
            assertTrue(took >= timeout, "returned early: " + took + " < " + timeout);
            assertTrue(took < timeout + 2_000, "returned late: " + took + " for " + timeout);
            assertEquals(0, fds[0].revents() | fds[1].revents());
        }
        // The JDK channels alone, and no descriptor at all, wait as long.
        start = System.nanoTime();
        assertEquals(0, rpoll(new PollFd[] {fds[1]}, 1, 100));
        assertTrue(elapsedMs(start) >= 100);
        start = System.nanoTime();
        assertEquals(0, rpoll(new PollFd[0], 0, 100));
        assertTrue(elapsedMs(start) >= 100);
    }

    @Test
    public void shouldWakeAnUnlimitedWaitWhenDataArrivesLongAfter() throws Exception
    {
        final int[] p = pair(AF_INET6);
        final PollFd[] fds = {new PollFd(p[0], POLLIN)};
        final Future<Integer> poll = async(() -> rpoll(fds, 1, -1));
        // Past the wake-up interval (500 ms by default): the call goes back to sleep and still wakes for data.
        Thread.sleep(1_200);
        assertFalse(poll.isDone());
        final long sent = System.nanoTime();
        sendAll(p[1], new byte[] {1});
        assertEquals(1, poll.get(10, TimeUnit.SECONDS));
        assertTrue(elapsedMs(sent) < 2_000, "woken by the data, not a timer: " + elapsedMs(sent));
        assertEquals(POLLIN, fds[0].revents());
    }

    @Test
    public void shouldWakeEveryThreadPollingTheSameSocket() throws Exception
    {
        final int[] p = pair(AF_INET);
        final PollFd[] a = {new PollFd(p[1], POLLIN)};
        final PollFd[] b = {new PollFd(p[1], POLLIN)};
        final Future<Integer> first = async(() -> rpoll(a, 1, 20_000));
        final Future<Integer> second = async(() -> rpoll(b, 1, 20_000));
        Thread.sleep(SETTLE_MS);
        sendAll(p[0], new byte[] {1});
        assertEquals(1, first.get(10, TimeUnit.SECONDS));
        assertEquals(1, second.get(10, TimeUnit.SECONDS));
    }

    @Test
    public void shouldReportAListenerReadableWhenAConnectionWaits() throws Exception
    {
        final int l = listener(AF_INET);
        final PollFd[] fds = {new PollFd(l, POLLIN)};
        assertEquals(0, rpoll(fds, 1, 0));
        final Future<Integer> poll = async(() -> rpoll(fds, 1, -1));
        Thread.sleep(SETTLE_MS);
        assertFalse(poll.isDone());
        final int client = socket(AF_INET);
        assertEquals(0, rconnect(client, addressOf(l)));
        assertEquals(1, poll.get(10, TimeUnit.SECONDS));
        assertEquals(POLLIN, fds[0].revents());
        assertTrue(track(raccept(l, null)) >= 0);
        assertEquals(0, rpoll(fds, 1, 0));

        // A JDK server channel is readable the same way.
        try (ServerSocketChannel server = ServerSocketChannel.open())
        {
            server.bind(new InetSocketAddress(testAddress(), 0));
            final int fd = track(rregister(server));
            final PollFd[] jdk = {new PollFd(fd, POLLIN | POLLOUT)};
            assertEquals(0, rpoll(jdk, 1, 0));
            try (SocketChannel c = SocketChannel.open(server.getLocalAddress()))
            {
                assertEquals(1, rpoll(jdk, 1, 5_000));
                assertEquals(POLLIN, jdk[0].revents());
                assertNotNull(c);
            }
        }
    }

    @Test
    public void shouldWakeAWriterWhenThePeerMakesRoom() throws Exception
    {
        final int[] p = pair(AF_INET);
        final byte[] chunk = new byte[64 * 1024];
        while (rsend(p[0], chunk, 0, chunk.length, MSG_DONTWAIT) > 0)
        {
            Thread.onSpinWait();
        }
        assertEquals(EAGAIN.code(), errno());
        final PollFd[] fds = {new PollFd(p[0], POLLOUT)};
        final Future<Integer> poll = async(() -> rpoll(fds, 1, -1));
        Thread.sleep(SETTLE_MS);
        assertFalse(poll.isDone(), "the window is full");
        final Future<Long> reader = async(() ->
        {
            final byte[] b = new byte[1 << 20];
            long total = 0;
            while (!poll.isDone())
            {
                final int n = rrecv(p[1], b, 0, b.length, MSG_DONTWAIT);
                total += Math.max(0, n);
            }
            return total;
        });
        assertEquals(1, poll.get(10, TimeUnit.SECONDS));
        assertEquals(POLLOUT, fds[0].revents());
        assertTrue(reader.get(10, TimeUnit.SECONDS) > 0);
    }

    @Test
    public void shouldForgetAChannelOnRcloseAndLeaveItOpen() throws Exception
    {
        final int source = pipeFd();
        final PollFd[] fds = {new PollFd(source, POLLIN)};
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, rpoll(fds, 1, 5_000));
        assertEquals(0, rclose(source));
        assertTrue(pipe.source().isOpen());
        assertEquals(1, rpoll(fds, 1, 0));
        assertEquals(POLLNVAL, fds[0].revents());
        assertFails(EBADF.code(), rsend(track(rregister(pipe.source())), new byte[1], 0, 1, 0),
            "channel descriptors take rpoll, rselect and rclose only");
        pipe.source().close();
        fds[0].fd(source);
        assertEquals(1, rpoll(fds, 1, 0));
        assertEquals(POLLNVAL, fds[0].revents(), "a channel closed under its descriptor");
        assertFails(EBADF.code(), rregister(pipe.source()));
        assertFails(EFAULT.code(), rregister(null));
    }

    @Test
    public void shouldReturnEintrWhenInterrupted() throws Exception
    {
        final int[] p = pair(AF_INET);
        final Thread[] poller = new Thread[1];
        final Future<int[]> poll = async(() ->
        {
            poller[0] = Thread.currentThread();
            final int n = rpoll(new PollFd[] {new PollFd(p[0], POLLIN)}, 1, -1);
            return new int[] {n, errno(), Thread.interrupted() ? 1 : 0};
        });
        Thread.sleep(SETTLE_MS);
        poller[0].interrupt();
        assertArrayEquals(new int[] {-1, EINTR.code(), 1}, poll.get(10, TimeUnit.SECONDS),
            "EINTR, and the interrupt status stays set");
    }

    @Test
    public void shouldSelectOverRsocketsAndChannels() throws Exception
    {
        final int[] p = pair(AF_INET);
        final int jdk = jdkPair();
        final int nfds = Math.max(Math.max(p[0], p[1]), jdk) + 1;
        final FdSet r = new FdSet();
        final FdSet w = new FdSet();
        final FdSet e = new FdSet();
        FD_SET(p[1], r);
        FD_SET(jdk, r);
        FD_SET(p[0], w);
        FD_SET(p[1], e);
        assertEquals(1, rselect(nfds, r, w, e, new Timeval(0, 0)));
        assertEquals(0, r.count());
        assertTrue(FD_ISSET(p[0], w), "room to send");
        assertEquals(0, e.count());

        FD_SET(p[1], r);
        FD_SET(jdk, r);
        FD_ZERO(w);
        final Future<Integer> select = async(() -> rselect(nfds, r, null, null, null));
        Thread.sleep(SETTLE_MS);
        assertFalse(select.isDone());
        jdkA.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, select.get(10, TimeUnit.SECONDS));
        assertTrue(FD_ISSET(jdk, r));
        assertFalse(FD_ISSET(p[1], r));

        FD_ZERO(r);
        FD_SET(p[1], r);
        final long start = System.nanoTime();
        assertEquals(0, rselect(nfds, r, null, null, new Timeval(0, 150_000)));
        assertTrue(elapsedMs(start) >= 150, "waited " + elapsedMs(start));
        assertEquals(0, r.count());

        FD_SET(p[1], r);
        FD_SET(p[1], e);
        sendAll(p[0], new byte[] {1});
        assertEquals(0, rclose(p[0]));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        do
        {
            FD_SET(p[1], r);
            FD_SET(p[1], e);
            n = rselect(nfds, r, null, e, new Timeval(1, 0));
        }
        while (n < 2 && System.nanoTime() < deadline);
        assertEquals(2, n, "readable, and POLLHUP is exceptional");
        assertTrue(FD_ISSET(p[1], r) && FD_ISSET(p[1], e));
        FD_CLR(p[1], e);
        assertFalse(FD_ISSET(p[1], e));
        assertFails(EINVAL.code(), rselect(-1, r, null, null, null));
        assertFails(EINVAL.code(), rselect(nfds, r, null, null, new Timeval(0, 1_000_000)));
    }

    private static long elapsedMs(final long startNs)
    {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }
}
