package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.ErrnoCarrier;
import io.rdmasockets.rsocket.RdmaServerSocket;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/** {@link RdmaServerSocket}: bind, accept, timeouts, close. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class RdmaServerSocketConformance extends AbstractVerbsTest
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
    public void shouldTimeOutAnAcceptWithSoTimeout() throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.bind(new InetSocketAddress(testAddress(), 0));
        loop.listener.setSoTimeout(200);
        assertEquals(200, loop.listener.getSoTimeout());
        final long start = System.nanoTime();
        final SocketTimeoutException e = assertThrows(SocketTimeoutException.class, loop.listener::accept);
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms >= 190 && ms < 5_000, "took " + ms + " ms");
        assertEquals(Errno.EAGAIN.code(), ((ErrnoCarrier)e).errno());
        assertTrue(e.getMessage().startsWith("EAGAIN: accept timed out after 200 ms"), e.getMessage());

        // Still listening: a timed accept finds a connection that arrives in time.
        loop.listener.setSoTimeout(10_000);
        loop.connect();
        assertTrue(loop.server.isConnected());
    }

    @Test
    public void shouldWakeABlockedAcceptOnClose() throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.bind(null);
        final Future<RdmaSocket> acceptor = loop.async(loop.listener::accept);
        assertThrows(TimeoutException.class, () -> acceptor.get(200, TimeUnit.MILLISECONDS));
        final long start = System.nanoTime();
        loop.listener.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> acceptor.get(10, TimeUnit.SECONDS));
        assertInstanceOf(SocketException.class, e.getCause());
        assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e.getCause()).errno(), e.getCause().getMessage());
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "woken promptly");
        assertTrue(loop.listener.isClosed());
        assertThrows(SocketException.class, loop.listener::accept);
    }

    @Test
    public void shouldWakeATimedAcceptOnClose() throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.bind(null);
        loop.listener.setSoTimeout(20_000);
        final Future<RdmaSocket> acceptor = loop.async(loop.listener::accept);
        assertThrows(TimeoutException.class, () -> acceptor.get(200, TimeUnit.MILLISECONDS));
        loop.listener.close();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> acceptor.get(5, TimeUnit.SECONDS));
        assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e.getCause()).errno());
    }

    @Test
    public void shouldAcceptSeveralConnectionsInOrder() throws Exception
    {
        loop = new Loopback(provider()).connect();
        try (RdmaSocket second = new RdmaSocket(provider()))
        {
            second.connect(loop.address(), 5_000);
            try (RdmaSocket accepted = loop.listener.accept())
            {
                assertEquals(((InetSocketAddress)second.getLocalSocketAddress()).getPort(),
                    ((InetSocketAddress)accepted.getRemoteSocketAddress()).getPort());
                second.getOutputStream().write(77);
                assertEquals(77, accepted.getInputStream().read());
            }
        }
    }

    @Test
    public void shouldReportAnAddressInUseAsABindException() throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.bind(new InetSocketAddress(testAddress(), 0));
        try (RdmaServerSocket other = new RdmaServerSocket(provider()))
        {
            final BindException e = assertThrows(BindException.class, () -> other.bind(loop.address()));
            assertEquals(Errno.EADDRINUSE.code(), ((ErrnoCarrier)e).errno(), e.getMessage());
            assertTrue(e.getMessage().startsWith("EADDRINUSE: bind to " + testAddress().getHostAddress() + ":"),
                e.getMessage());
            assertFalse(other.isBound());
        }
        final SocketException again = assertThrows(SocketException.class, () -> loop.listener.bind(null));
        assertEquals(Errno.EINVAL.code(), ((ErrnoCarrier)again).errno());
    }

    @Test
    public void shouldRefuseAcceptWhenNotBoundOrClosed() throws Exception
    {
        final RdmaServerSocket s = new RdmaServerSocket(provider());
        try
        {
            assertNull(s.getLocalSocketAddress());
            final SocketException e = assertThrows(SocketException.class, s::accept);
            assertEquals(Errno.EINVAL.code(), ((ErrnoCarrier)e).errno());
            s.bind(null);
            assertTrue(((InetSocketAddress)s.getLocalSocketAddress()).getPort() > 0);
            s.close();
            final SocketException closed = assertThrows(SocketException.class, s::accept);
            assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)closed).errno());
            assertNotNull(s.getLocalSocketAddress(), "kept after close");
            assertThrows(SocketException.class, () -> s.setSoTimeout(1));
        }
        finally
        {
            s.close();
        }
    }
}
