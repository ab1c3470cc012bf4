package io.rdmasockets.nio.channels;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.RdmaBindException;
import io.rdmasockets.rsocket.RdmaConnectException;
import io.rdmasockets.rsocket.RdmaSocketException;
import io.rdmasockets.rsocket.engine.PollWaiter;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.concurrent.locks.LockSupport;

/** What the rsocket-backed channels share: errno to exception mapping, address checks, waiting for events. */
final class RsocketSupport
{
    private RsocketSupport()
    {
    }

    /**
     * @param errno  a positive errno from the engine.
     * @param detail what was being done.
     * @return the {@code java.net} exception the JDK throws for it.
     */
    static IOException exception(final int errno, final String detail)
    {
        final Errno e = Errno.of(errno);
        if (Errno.EADDRINUSE == e || Errno.EADDRNOTAVAIL == e)
        {
            return new RdmaBindException(errno, detail, null);
        }
        if (Errno.ECONNREFUSED == e || Errno.ETIMEDOUT == e || Errno.EHOSTUNREACH == e || Errno.ENETUNREACH == e)
        {
            return new RdmaConnectException(errno, detail, null);
        }
        return new RdmaSocketException(errno, detail, null);
    }

    /**
     * @param cause  the engine's exception.
     * @param detail what was being done.
     * @return as {@link #exception(int, String)}, with the cause.
     */
    static IOException exception(final ErrnoException cause, final String detail)
    {
        final IOException e = exception(cause.errno(), detail);
        e.initCause(cause);
        return e;
    }

    /**
     * @param address what the application passed.
     * @return it as an {@link InetSocketAddress}.
     * @throws UnsupportedAddressTypeException for another kind of address.
     * @throws UnresolvedAddressException      when unresolved.
     */
    static InetSocketAddress check(final SocketAddress address)
    {
        if (!(address instanceof InetSocketAddress isa))
        {
            throw null == address ? new NullPointerException("address") : new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved())
        {
            throw new UnresolvedAddressException();
        }
        return isa;
    }

    /**
     * @param address a connect's destination, checked.
     * @return it, or the loopback address of its family for a wildcard address, as the JDK's channels do
     *         (connecting to 0.0.0.0 reaches this host).
     */
    static InetSocketAddress remote(final InetSocketAddress address)
    {
        final java.net.InetAddress ia = address.getAddress();
        if (!ia.isAnyLocalAddress())
        {
            return address;
        }
        return new InetSocketAddress(ia instanceof java.net.Inet6Address ? inet6Loopback() : inet4Loopback(),
            address.getPort());
    }

    private static java.net.InetAddress inet4Loopback()
    {
        try
        {
            return java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static java.net.InetAddress inet6Loopback()
    {
        try
        {
            final byte[] b = new byte[16];
            b[15] = 1;
            return java.net.InetAddress.getByAddress(b);
        }
        catch (final java.net.UnknownHostException e)
        {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param dst a buffer to read into.
     * @throws IllegalArgumentException when it is read-only, as the JDK's channels.
     */
    static void checkWritable(final ByteBuffer dst)
    {
        if (dst.isReadOnly())
        {
            throw new IllegalArgumentException("Read-only buffer");
        }
    }

    /**
     * Blocks the calling thread until one of {@code mask}'s events is reported, the thread is interrupted, or
     * the socket is closed; the engine wakes it ({@link PollWaiter}), so nothing spins and a virtual thread
     * parks without pinning its carrier.
     *
     * @param rs   the socket.
     * @param mask poll events to wait for; errors always end the wait.
     * @return the events.
     */
    static int await(final StreamRsocket rs, final int mask)
    {
        final ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
        try
        {
            while (true)
            {
                rs.watch(waiter);
                final int events = rs.pollArm();
                if (0 != (events & (mask | StreamRsocket.POLLERR | StreamRsocket.POLLHUP | StreamRsocket.POLLNVAL)) ||
                    Thread.currentThread().isInterrupted())
                {
                    return events;
                }
                // Bounded, as the engine's own waits (wake_up_interval): a lost wakeup costs a delay, never a hang.
                LockSupport.parkNanos(waiter, 5_000_000L);
            }
        }
        finally
        {
            rs.unwatch(waiter);
            waiter.release();
        }
    }

    /** Unparks one thread. */
    private static final class ThreadWaiter extends PollWaiter
    {
        private final Thread thread;

        ThreadWaiter(final Thread thread)
        {
            this.thread = thread;
        }

        @Override
        protected void wake()
        {
            LockSupport.unpark(thread);
        }
    }
}
