package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.posix.PollFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.common.Errno.*;
import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * A C rsocket echo server, ported line for line: one thread, non-blocking descriptors, an {@code rpoll} loop over
 * the listener, the clients and a pipe that tells it to stop (a "normal" descriptor in the same call). Clients
 * check what comes back with checksums.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class EchoExampleConformance extends PosixFixture
{
    private static final int CLIENTS = 4;
    private static final int BYTES = 200_000;

    @Test
    public void shouldEchoForSeveralClientsFromOnePollLoop() throws Exception
    {
        final int lfd = rsocket(provider(), AF_INET, SOCK_STREAM, 0);
        assertTrue(lfd >= 0, () -> strerror(errno()));
        assertEquals(0, rsetsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, 1));
        assertEquals(0, rbind(lfd, new InetSocketAddress(testAddress(), 0)));
        assertEquals(0, rlisten(lfd, 16));
        final InetSocketAddress at = addressOf(lfd);
        final Pipe stop = Pipe.open();
        final int stopFd = rregister(stop.source());
        final Future<Integer> server = async(() -> echoServer(lfd, stopFd));

        final List<Future<Long>> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++)
        {
            final long seed = i;
            clients.add(async(() -> echoClient(at, seed)));
        }
        for (int i = 0; i < CLIENTS; i++)
        {
            final byte[] expected = random(BYTES, i);
            final long crc;
            try
            {
                crc = clients.get(i).get(50, TimeUnit.SECONDS);
            }
            catch (final java.util.concurrent.TimeoutException ex)
            {
                throw new AssertionError("client " + i + " did not finish; provider state:\n" + provider().diagnostics(), ex);
            }
            assertEquals(crc(expected), crc, "client " + i);
        }
        stop.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(CLIENTS, server.get(10, TimeUnit.SECONDS), "connections served");
        stop.sink().close();
        stop.source().close();
    }

    /** The server's main loop, as C would write it; returns how many connections it served. */
    private static int echoServer(final int lfd, final int stopFd)
    {
        rfcntl(lfd, F_SETFL, rfcntl(lfd, F_GETFL) | O_NONBLOCK);
        final PollFd[] fds = new PollFd[2 + CLIENTS];
        for (int i = 0; i < fds.length; i++)
        {
            fds[i] = new PollFd();
        }
        fds[0].fd(lfd).events(POLLIN);
        fds[1].fd(stopFd).events(POLLIN);
        int nfds = 2;
        int served = 0;
        final byte[] buf = new byte[16 * 1024];
        while (true)
        {
            final int ret = rpoll(fds, nfds, -1);
            if (ret < 0)
            {
                throw new AssertionError("rpoll: " + strerror(errno()));
            }
            if (0 != fds[1].revents())
            {
                rclose(stopFd);
                rclose(lfd);
                return served;
            }
            if (0 != (fds[0].revents() & POLLIN))
            {
                final int cfd = raccept(lfd, null);
                if (cfd >= 0)
                {
                    fds[nfds++].fd(cfd).events(POLLIN);
                    served++;
                }
                else if (EAGAIN.code() != errno())
                {
                    throw new AssertionError("raccept: " + strerror(errno()));
                }
            }
            for (int i = 2; i < nfds; i++)
            {
                if (0 == fds[i].revents())
                {
                    continue;
                }
                final int cfd = fds[i].fd();
                final int n = rrecv(cfd, buf, 0, buf.length, 0);
                if (n > 0)
                {
                    // The client is blocking-reading its answer: a blocking send of what came is fine.
                    rfcntl(cfd, F_SETFL, 0);
                    if (n != rsend(cfd, buf, 0, n, 0))
                    {
                        throw new AssertionError("rsend: " + strerror(errno()));
                    }
                    rfcntl(cfd, F_SETFL, O_NONBLOCK);
                }
                else if (0 == n || EAGAIN.code() != errno())
                {
                    rclose(cfd);
                    fds[i].fd(fds[--nfds].fd());
                    fds[nfds].fd(-1);
                    i--;
                }
            }
        }
    }

    /** A client: connects, sends its bytes in pieces while reading the echo, returns the echo's checksum. */
    private long echoClient(final InetSocketAddress at, final long seed) throws Exception
    {
        final int fd = track(rsocket(provider(), AF_INET, SOCK_STREAM, 0));
        if (rconnect(fd, at) < 0)
        {
            throw new AssertionError("rconnect: " + strerror(errno()));
        }
        final byte[] data = random(BYTES, seed);
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment in = arena.allocate(8192);
            // Never block in a send while the echo may be waiting to be read: the server blocks sending
            // it back, and two senders blocked on each other's full rings would deadlock (as in C).
            rfcntl(fd, F_SETFL, O_NONBLOCK);
            final PollFd[] wait = {new PollFd(fd, POLLIN)};
            int sent = 0;
            long got = 0;
            while (got < BYTES)
            {
                boolean moved = false;
                if (sent < BYTES)
                {
                    final int n = rsend(fd, data, sent, Math.min(3000, BYTES - sent), 0);
                    if (n > 0)
                    {
                        sent += n;
                        moved = true;
                    }
                    else if (EAGAIN.code() != errno())
                    {
                        throw new AssertionError("rsend: " + strerror(errno()));
                    }
                }
                final long n = rrecv(fd, in, in.byteSize(), 0);
                if (n > 0)
                {
                    crc.update(in.asSlice(0, n).asByteBuffer());
                    got += n;
                    moved = true;
                }
                else if (0 == n || EAGAIN.code() != errno())
                {
                    throw new AssertionError("rrecv: " + (0 == n ? "end of stream" : strerror(errno())));
                }
                if (!moved)
                {
                    wait[0].events(sent < BYTES ? POLLIN | POLLOUT : POLLIN);
                    if (rpoll(wait, 1, 1_000) < 0)
                    {
                        throw new AssertionError("rpoll: " + strerror(errno()));
                    }
                }
            }
        }
        rshutdown(fd, SHUT_RDWR);
        return crc.getValue();
    }
}
