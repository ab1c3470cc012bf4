package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PlainTcpConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.*;

/**
 * The passive side of connection setup, C's {@code rlisten}/{@code raccept} (wire-protocol doc sections
 * 1.1 and 4.6): as C, the service thread accepts each connection request at once ({@code rs_accept}),
 * without waiting for the application; a connection, once established, waits in the accept queue for
 * {@link StreamRsocket#accept(long)}.
 *
 * <p>A listener may also take plain TCP clients on its port ({@link #listen(int, boolean)}); they wait in the
 * same queue, so that an accept returns connections of both kinds in the order they arrived.
 *
 * <p><b>Note:</b> a request is accepted, and an established connection queued, under the listener's
 * monitor, which the listener's close holds while it closes them all: listener before child.
 */
final class Acceptor
{
    private static final long ACCEPT_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final StreamRsocket socket;
    /** Established connections (rsockets, and plain TCP ones when shared), waiting for accept. */
    private final LinkedBlockingQueue<Object> acceptQueue = new LinkedBlockingQueue<>();
    /** Connections accepted but not yet established; guarded by itself. */
    private final List<StreamRsocket> accepting = new ArrayList<>();

    Acceptor(final StreamRsocket socket)
    {
        this.socket = socket;
    }

    /**
     * {@link StreamRsocket#listen(int)}: from now on the service thread accepts requests.
     *
     * @param backlog connection requests the provider queues.
     * @throws ErrnoException e.g. {@code EADDRINUSE}.
     */
    void listen(final int backlog) throws ErrnoException
    {
        listen(backlog, false);
    }

    /**
     * {@link StreamRsocket#listen(int, boolean)}.
     *
     * @param backlog  connection requests the provider queues.
     * @param plainTcp also take plain TCP clients on the port.
     * @throws ErrnoException e.g. {@code EADDRINUSE}, also for the TCP port.
     */
    void listen(final int backlog, final boolean plainTcp) throws ErrnoException
    {
        if (LISTENING == socket.state)
        {
            if (plainTcp != (null != tcp))
            {
                throw new ErrnoException(Errno.EINVAL, "listen: already listening " + (null == tcp ? "without" : "with") +
                    " plain TCP clients");
            }
            return;
        }
        socket.cmId.listen(backlog);
        if (plainTcp)
        {
            final SharedTcpPort port = new SharedTcpPort(backlog);
            // Before it starts: a plain client may arrive at once.
            tcp = port;
            try
            {
                port.start(socket, connection -> onPlainTcp(port, connection));
            }
            catch (final ErrnoException | RuntimeException e)
            {
                tcp = null;
                port.close();
                throw e;
            }
        }
        socket.state = LISTENING;
        socket.events.watch();
    }

    /** Plain TCP clients of a shared port, or null. */
    private volatile SharedTcpPort tcp;

    /** @return whether plain TCP clients share the port. */
    boolean sharesTcpPort()
    {
        return null != tcp;
    }

    /**
     * A plain TCP client arrived (on a provider thread, or the accept thread): queue it, unless closed or over
     * the backlog. Takes no monitor: the listener's close holds its monitor while it waits for provider
     * threads (the tcp provider's listener close waits for its reactor).
     */
    private void onPlainTcp(final SharedTcpPort port, final PlainTcpConnection connection)
    {
        if (socket.closed.get() || !port.admit())
        {
            SharedTcpPort.closeQuietly(connection);
            return;
        }
        acceptQueue.add(connection);
        // A close that began meanwhile may have drained the queue before the add: take it back then.
        if (socket.closed.get() && acceptQueue.remove(connection))
        {
            SharedTcpPort.closeQuietly(connection);
            return;
        }
        socket.readiness.signal();
    }

    /**
     * {@link StreamRsocket#accept(long)}.
     *
     * @param timeoutMs how long to wait for a connection; 0 waits without limit (or not at all when
     *                  non-blocking).
     * @return the next established connection.
     * @throws ErrnoException as {@link StreamRsocket#accept(long)}.
     */
    StreamRsocket accept(final long timeoutMs) throws ErrnoException
    {
        if (null != tcp)
        {
            throw new ErrnoException(Errno.EINVAL, "accept: the listener shares its port with plain TCP clients");
        }
        return (StreamRsocket)acceptAny(timeoutMs);
    }

    /**
     * {@link StreamRsocket#acceptAny(long)}.
     *
     * @param timeoutMs as {@link #accept(long)}.
     * @return a {@link StreamRsocket} or a {@link PlainTcpConnection}.
     * @throws ErrnoException as {@link #accept(long)}.
     */
    Object acceptAny(final long timeoutMs) throws ErrnoException
    {
        final int state = socket.state;
        if (LISTENING != state)
        {
            throw new ErrnoException(0 != (state & CLOSED) ? Errno.EBADF : Errno.EINVAL, "accept");
        }
        final long deadlineNs = timeoutMs <= 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try
        {
            while (true)
            {
                // Waits in slices so that a close is noticed within 100 ms.
                final long sliceNs = 0 == deadlineNs ? ACCEPT_SLICE_NS :
                    Math.min(ACCEPT_SLICE_NS, deadlineNs - System.nanoTime());
                final Object next = socket.nonblocking || sliceNs <= 0 ? acceptQueue.poll() :
                    acceptQueue.poll(sliceNs, TimeUnit.NANOSECONDS);
                if (next instanceof PlainTcpConnection plain)
                {
                    tcp.taken();
                    return plain;
                }
                if (null != next)
                {
                    return next;
                }
                if (LISTENING != socket.state)
                {
                    throw new ErrnoException(Errno.EBADF, "accept on a closed socket");
                }
                if (socket.nonblocking || (0 != deadlineNs && System.nanoTime() - deadlineNs >= 0))
                {
                    throw new ErrnoException(Errno.EAGAIN, "accept");
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ErrnoException(Errno.EINTR, "accept");
        }
    }

    /**
     * {@code rs_accept}, run by the service thread: C accepts before the application asks.
     *
     * @param ev the CONNECT_REQUEST event.
     */
    void onConnectRequest(final CmEvent ev)
    {
        synchronized (socket)
        {
            final CmId child = ev.id();
            StreamRsocket rs = null;
            boolean accepting = false;
            try
            {
                final byte[] creq = ev.privateData();
                if (socket.closed.get())
                {
                    throw new ErrnoException(Errno.ECONNREFUSED, "listener closed");
                }
                if (socket.options.v6Only() && StreamRsocket.isIpv4(child.peerAddress()))
                {
                    // An AF_INET6-only listener does not match an IPv4 request (RDMA_OPTION_ID_AFONLY).
                    throw new ErrnoException(Errno.ECONNREFUSED, "IPv4 peer on an IPV6_V6ONLY listener");
                }
                // Before any resource: providers pad private data with zeros, so a short request passes the
                // length check and only the contents tell.
                final ConnData.Peer peer = ConnData.Peer.parse(creq);
                rs = new StreamRsocket(socket.cm, socket.config, child, socket);
                rs.listener = socket;
                child.migrate(rs.cmChannel);
                rs.createEndpoint();
                rs.data.onConnected(peer);
                final ConnectionParameters req = ev.parameters();
                // C echoes the request's transport parameters (rnr_retry 7 from any rsocket peer).
                accepting = true;
                child.accept(new ConnectionParameters(rs.options.connData(rs.ep), req.responderResources(),
                    req.initiatorDepth(), req.flowControl(), req.retryCount(), req.rnrRetryCount()));
                rs.state = ACCEPTING;
                synchronized (this.accepting)
                {
                    this.accepting.add(rs);
                }
                rs.events.watch();
            }
            catch (final ErrnoException | RuntimeException e)
            {
                if (!accepting)
                {
                    // The requester learns REJECTED (ECONNREFUSED), as from C, instead of a dropped connection.
                    try
                    {
                        child.reject(null);
                    }
                    catch (final ErrnoException | RuntimeException ignored)
                    {
                        // It may have gone already; the id is destroyed below either way.
                    }
                }
                if (null != rs)
                {
                    rs.close();
                }
                else
                {
                    StreamRsocket.closeQuietly(child);
                }
            }
        }
    }

    /**
     * An accepted connection is up: queue it for accept, or close it when the listener is gone.
     *
     * @param child the connection, in {@code ACCEPTING}.
     */
    void onEstablished(final StreamRsocket child)
    {
        final boolean queued;
        // Listener before child, as the listener's close takes them.
        synchronized (socket)
        {
            queued = !socket.closed.get() && !child.closed.get();
            if (queued)
            {
                child.state = CONNECT_RDWR;
                synchronized (accepting)
                {
                    accepting.remove(child);
                }
                acceptQueue.add(child);
            }
        }
        if (queued)
        {
            socket.readiness.signal();
        }
        if (!queued)
        {
            child.close();
        }
    }

    /** @return whether a connection waits to be accepted. */
    boolean hasQueued()
    {
        return !acceptQueue.isEmpty();
    }

    /** Closes the connections queued or being accepted: the listener is closing, under its monitor. */
    void closeAll()
    {
        final SharedTcpPort port = tcp;
        if (null != port)
        {
            port.close();
        }
        for (Object next; null != (next = acceptQueue.poll()); )
        {
            if (next instanceof StreamRsocket rs)
            {
                rs.close();
            }
            else
            {
                SharedTcpPort.closeQuietly((PlainTcpConnection)next);
            }
        }
        final List<StreamRsocket> pending;
        synchronized (accepting)
        {
            pending = new ArrayList<>(accepting);
            accepting.clear();
        }
        pending.forEach(StreamRsocket::close);
    }
}
