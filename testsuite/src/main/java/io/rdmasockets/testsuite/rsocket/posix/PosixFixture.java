package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.posix.SockAddr;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.AfterEach;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * What the facade's conformance suites share: the provider ({@link #provider()}, the one method a provider module
 * overrides), listeners on {@link #testAddress()} and connected descriptor pairs, platform threads for blocking
 * work, and the closing of every descriptor a test opened. IPv6 cases use {@code ::1}.
 */
public abstract class PosixFixture extends AbstractVerbsTest
{
    private final List<Integer> fds = new ArrayList<>();
    // Own platform threads: the common pool has one worker on two cores.
    private final ExecutorService threads = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "posix-test");
        t.setDaemon(true);
        return t;
    });

    /** Closes every descriptor the test opened and stops its threads. */
    @AfterEach
    public void closeDescriptors()
    {
        threads.shutdownNow();
        for (final int fd : fds)
        {
            rclose(fd);
        }
        fds.clear();
    }

    /** @return a new socket of the family, closed after the test. */
    int socket(final int domain)
    {
        final int fd = rsocket(provider(), domain, SOCK_STREAM, 0);
        assertTrue(fd >= 0, () -> "rsocket: " + strerror(errno()));
        return track(fd);
    }

    /** @return {@code fd}, closed after the test (closing it earlier is fine). */
    int track(final int fd)
    {
        fds.add(fd);
        return fd;
    }

    /** @return a listening socket on {@link #testAddress()} (::1 for AF_INET6), an ephemeral port. */
    int listener(final int domain)
    {
        final int fd = socket(domain);
        final InetAddress loopback = loopback(domain);
        assertEquals(0, rbind(fd, new InetSocketAddress(loopback, 0)), () -> "rbind: " + strerror(errno()));
        assertEquals(0, rlisten(fd, 16), () -> "rlisten: " + strerror(errno()));
        return fd;
    }

    /** @return {@link #testAddress()} for AF_INET, {@code ::1} for AF_INET6. */
    static InetAddress loopback(final int domain)
    {
        try
        {
            return AF_INET6 == domain ? InetAddress.getByName("::1") : testAddress();
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new AssertionError(e);
        }
    }

    /** @return where {@code listener} listens. */
    static InetSocketAddress addressOf(final int listener)
    {
        final SockAddr a = new SockAddr();
        assertEquals(0, rgetsockname(listener, a));
        return a.address();
    }

    /** A connected pair over a fresh listener: {client, server}. */
    int[] pair(final int domain)
    {
        final int l = listener(domain);
        final int client = socket(domain);
        assertEquals(0, rconnect(client, addressOf(l)), () -> "rconnect: " + strerror(errno()));
        final int server = raccept(l, null);
        assertTrue(server >= 0, () -> "raccept: " + strerror(errno()));
        track(server);
        return new int[] {client, server};
    }

    <T> Future<T> async(final Callable<T> task)
    {
        return threads.submit(task);
    }

    static byte[] random(final int size, final long seed)
    {
        final byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long crc(final byte[] b)
    {
        final CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }

    /** Sends all of {@code b} with rsend, failing the test on an error. */
    static void sendAll(final int fd, final byte[] b)
    {
        int done = 0;
        while (done < b.length)
        {
            final int n = rsend(fd, b, done, b.length - done, 0);
            assertTrue(n > 0, () -> "rsend: " + strerror(errno()));
            done += n;
        }
    }

    /** Receives exactly {@code size} bytes with rrecv. */
    static byte[] recvAll(final int fd, final int size)
    {
        final byte[] b = new byte[size];
        int done = 0;
        while (done < size)
        {
            final int n = rrecv(fd, b, done, size - done, 0);
            assertTrue(n > 0, () -> "rrecv: " + (0 == n ? "end of stream" : strerror(errno())));
            done += n;
        }
        return b;
    }

    /** Asserts a call failed with {@code errno}. */
    static void assertFails(final int expected, final long result)
    {
        assertFails(expected, result, "");
    }

    /** Asserts a call failed with {@code errno}; {@code why} says what the case is. */
    static void assertFails(final int expected, final long result, final String why)
    {
        assertEquals(-1, result, () -> why + ": expected -1 with " + strerror(expected));
        assertEquals(expected, errno(), () -> why + ": errno " + errno() + " (" + strerror(errno()) + "), expected " +
            expected + " (" + strerror(expected) + ")");
    }

    static MemorySegment bytes(final byte... b)
    {
        return MemorySegment.ofArray(b);
    }
}
