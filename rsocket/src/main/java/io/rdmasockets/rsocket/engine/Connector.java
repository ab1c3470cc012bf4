package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.ConnectionParameters;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.*;

/**
 * The active side of connection setup, C's {@code rconnect} (wire-protocol doc sections 1.1 and 4.4):
 * resolve the address, then the route (each retried on timeout, as C), create the endpoint, send the
 * connection data, and take the peer's from ESTABLISHED. Each step after the first runs when its
 * connection-manager event arrives, on the service thread; a blocking connect waits for the same steps.
 *
 * <p><b>Note:</b> every step runs under the socket's monitor, as close's release does: a step either
 * finished (close sees its endpoint) or sees the socket closed and makes nothing. A blocking connect
 * waits on that monitor, and each step that ends the connect notifies it.
 */
final class Connector
{
    /** How long the connect step itself may take once the route is resolved. */
    static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final int CONN_RETRIES = 6;

    private final StreamRsocket socket;
    /** Nonblocking connect, driven by the service thread: where to, and resolution retries so far. */
    private InetSocketAddress destination;
    private int retries;
    private long connectingSinceNs;

    Connector(final StreamRsocket socket)
    {
        this.socket = socket;
    }

    /**
     * {@link StreamRsocket#connect(InetSocketAddress, long)}: checks the state, starts, and unless
     * nonblocking waits.
     *
     * @param destination the peer.
     * @param timeoutMs   the limit for a blocking connect; 0 for none beyond {@link #CONNECT_TIMEOUT_MS}.
     * @throws ErrnoException as {@link StreamRsocket#connect(InetSocketAddress, long)}.
     */
    void connect(final InetSocketAddress destination, final long timeoutMs) throws ErrnoException
    {
        final int state = socket.state;
        if (0 != (state & CONNECTED))
        {
            throw new ErrnoException(Errno.EISCONN, "connect");
        }
        if (INIT != state && BOUND != state)
        {
            // C: ENOTCONN once the connection failed or ended (it cannot be made again), EINVAL when listening.
            throw new ErrnoException(0 != (state & OPENING) ? Errno.EALREADY :
                0 != (state & (CONNECT_ERROR | DISCONNECTED | ERROR)) ? Errno.ENOTCONN : Errno.EINVAL, "connect");
        }
        if (socket.options.v6Only() && StreamRsocket.isIpv4(destination))
        {
            throw new ErrnoException(Errno.ENETUNREACH, "connect to " + destination + " with IPV6_V6ONLY");
        }
        start(destination);
        if (socket.nonblocking)
        {
            throw new ErrnoException(Errno.EINPROGRESS, "connect to " + destination);
        }
        await(destination, timeoutMs);
    }

    /**
     * A blocking connect waits for the same event-driven steps a nonblocking one takes on the service
     * thread ({@link #onProgress}); the connect step itself is given {@value #CONNECT_TIMEOUT_MS} ms.
     */
    private void await(final InetSocketAddress to, final long timeoutMs) throws ErrnoException
    {
        synchronized (socket)
        {
            final long deadlineNs = timeoutMs <= 0 ? 0 :
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            try
            {
                while (0 != (socket.state & OPENING))
                {
                    if (socket.closed.get())
                    {
                        failed(Errno.EBADF.code());
                    }
                    else if (0 != deadlineNs && System.nanoTime() - deadlineNs >= 0)
                    {
                        failed(Errno.ETIMEDOUT.code());
                    }
                    else if (CONNECTING == socket.state &&
                        System.nanoTime() - connectingSinceNs > TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS))
                    {
                        failed(Errno.ETIMEDOUT.code());
                    }
                    else
                    {
                        // Progress notifies; the slice only bounds how late a close or deadline is noticed.
                        socket.wait(0 == deadlineNs ? 100 : Math.max(1,
                            Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()) + 1)));
                    }
                }
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                failed(Errno.EINTR.code());
            }
            if (CONNECT_ERROR == socket.state)
            {
                throw new ErrnoException(socket.err, "connect to " + to, null);
            }
        }
    }

    /** The first step of a nonblocking connect; {@link #onProgress} takes the rest. */
    private void start(final InetSocketAddress to) throws ErrnoException
    {
        destination = to;
        retries = 0;
        socket.state = RESOLVING_ADDR;
        socket.options.routeUsed();
        socket.events.watch();
        try
        {
            socket.cmId.resolveAddress(null, to, resolveTimeout(0));
        }
        catch (final ErrnoException e)
        {
            failed(e.errno());
            throw e;
        }
    }

    private static Duration resolveTimeout(final int retries)
    {
        return Duration.ofMillis(1000L << retries);
    }

    /**
     * A nonblocking connect's next step, on the service thread (C's connect_svc).
     *
     * @param ev the connection-manager event.
     */
    void onProgress(final CmEvent ev)
    {
        synchronized (socket)
        {
            final int s = socket.state;
            if (socket.closed.get() || 0 == (s & OPENING))
            {
                return;
            }
            try
            {
                switch (ev.type())
                {
                    case ADDR_RESOLVED, ADDR_ERROR, ROUTE_RESOLVED, ROUTE_ERROR ->
                    {
                        final boolean address = RESOLVING_ADDR == s;
                        final CmEventType ok = address ? CmEventType.ADDR_RESOLVED : CmEventType.ROUTE_RESOLVED;
                        final CmEventType bad = address ? CmEventType.ADDR_ERROR : CmEventType.ROUTE_ERROR;
                        if (CONNECTING == s || (ok != ev.type() && bad != ev.type()))
                        {
                            return;
                        }
                        if (ok == ev.type() && address)
                        {
                            socket.state = RESOLVING_ROUTE;
                            retries = 0;
                            socket.cmId.resolveRoute(resolveTimeout(0));
                        }
                        else if (ok == ev.type())
                        {
                            socket.createEndpoint();
                            socket.state = CONNECTING;
                            connectingSinceNs = System.nanoTime();
                            socket.cmId.connect(
                                ConnectionParameters.rsocketDefaults(socket.options.connData(socket.ep)));
                        }
                        else if (-Errno.ETIMEDOUT.code() == ev.status() && ++retries <= CONN_RETRIES)
                        {
                            if (address)
                            {
                                socket.cmId.resolveAddress(null, destination, resolveTimeout(retries));
                            }
                            else
                            {
                                socket.cmId.resolveRoute(resolveTimeout(retries));
                            }
                        }
                        else
                        {
                            failed(ev.status() < 0 ? -ev.status() : Errno.EHOSTUNREACH.code());
                        }
                    }
                    case ESTABLISHED ->
                    {
                        if (CONNECTING == s)
                        {
                            socket.data.onConnected(ConnData.Peer.parse(ev.privateData()));
                            socket.state = CONNECT_RDWR;
                            socket.keepalive.onEstablished();
                            socket.notifyAll();
                        }
                    }
                    default ->
                    {
                        if (CONNECTING == s)
                        {
                            failed(failure(ev, destination).errno());
                        }
                    }
                }
            }
            catch (final ErrnoException e)
            {
                failed(e.errno());
            }
        }
    }

    private void failed(final int errno)
    {
        synchronized (socket)
        {
            socket.err = errno;
            socket.state = CONNECT_ERROR;
            socket.notifyAll();
            socket.readiness.signal();
        }
    }

    private static ErrnoException failure(final CmEvent ev, final InetSocketAddress destination)
    {
        final String what = "connect to " + destination;
        if (null == ev)
        {
            return new ErrnoException(Errno.ETIMEDOUT, what);
        }
        if (CmEventType.REJECTED == ev.type())
        {
            return new ErrnoException(Errno.ECONNREFUSED, what);
        }
        return new ErrnoException(ev.status() < 0 ? -ev.status() : Errno.EHOSTUNREACH.code(),
            what + " (" + ev.type() + ")", null);
    }
}
