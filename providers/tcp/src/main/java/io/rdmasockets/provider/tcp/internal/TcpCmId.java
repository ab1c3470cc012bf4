package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;
import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PortSpace;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.time.Duration;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.TYPE_REQ;

/**
 * A CM id over TCP: bind reserves the port with a server socket, listen accepts on it, resolve picks
 * the source address by a route lookup (a connected UDP socket, which sends nothing), connect opens a
 * TCP connection that starts with a REQ.
 *
 * <p><b>Note:</b> thread safe (this object's monitor).
 */
final class TcpCmId implements CmId
{
    private enum State
    {
        IDLE, BOUND, ADDR_RESOLVED, ROUTE_RESOLVED, LISTENING, CONNECTING, REQUESTED, CLOSED
    }

    private final TcpConnectionManager manager;
    private final PortSpace portSpace;
    private final Object context;
    private volatile TcpCmEventChannel channel;
    private State state = State.IDLE;
    private TcpContext verbsContext;
    private TcpListener listener;
    private TcpConnection connection;
    private TcpQueuePair qp;
    private InetSocketAddress local;
    private InetSocketAddress peer;
    private Boolean reuse;

    TcpCmId(final TcpConnectionManager manager, final TcpCmEventChannel channel, final PortSpace portSpace,
        final Object context)
    {
        this.manager = manager;
        this.channel = channel;
        this.portSpace = portSpace;
        this.context = context;
    }

    /** @return a child for an incoming request, on this (listening) id's channel. */
    TcpCmId newChild(final TcpConnection c)
    {
        final TcpCmEventChannel ch = channel;
        try
        {
            ch.resources().add();
        }
        catch (final VerbsException ex)
        {
            return null;
        }
        final TcpCmId child = new TcpCmId(manager, ch, portSpace, context);
        synchronized (child)
        {
            child.state = State.REQUESTED;
            child.connection = c;
            child.verbsContext = manager.defaultContext();
            child.local = c.localAddress();
            child.peer = c.remoteAddress();
        }
        return child;
    }

    void deliver(final CmEvent event)
    {
        channel.deliver(event);
    }

    /**
     * Delivers an event for an id, if there still is one.
     *
     * @param id     the id, or null once destroyed.
     * @param type   event type.
     * @param status status.
     * @param params parameters or null.
     */
    static void deliver(final TcpCmId id, final CmEventType type, final int status, final ConnectionParameters params)
    {
        if (null != id)
        {
            id.deliver(new CmEvent(type, id, null, status, params));
        }
    }

    synchronized TcpQueuePair tcpQueuePair()
    {
        return qp;
    }

    @Override
    public ConnectionManager manager()
    {
        return manager;
    }

    @Override
    public CmEventChannel channel()
    {
        return channel;
    }

    @Override
    public PortSpace portSpace()
    {
        return portSpace;
    }

    @Override
    public Object context()
    {
        return context;
    }

    @Override
    public synchronized VerbsContext verbsContext()
    {
        return verbsContext;
    }

    @Override
    public synchronized ProtectionDomain protectionDomain()
    {
        return null == verbsContext ? null : manager.defaultPd();
    }

    @Override
    public synchronized void bind(final InetSocketAddress address) throws VerbsException
    {
        checkOpen();
        if (State.IDLE != state || null == address)
        {
            throw new VerbsException(Errno.EINVAL, "bind " + address + ": id already bound");
        }
        listener = TcpListener.bind(this, address, reuse);
        local = listener.localAddress();
        state = State.BOUND;
        if (!address.getAddress().isAnyLocalAddress())
        {
            verbsContext = manager.defaultContext();
        }
    }

    @Override
    public void resolveAddress(final InetSocketAddress source, final InetSocketAddress destination,
        final Duration timeout) throws VerbsException
    {
        InetSocketAddress dst = destination;
        if (dst.isUnresolved())
        {
            try
            {
                dst = new InetSocketAddress(InetAddress.getByName(dst.getHostString()), dst.getPort());
            }
            catch (final IOException ex)
            {
                throw new VerbsException(Errno.EADDRNOTAVAIL, "resolveAddress " + destination, ex);
            }
        }
        final CmEvent event;
        synchronized (this)
        {
            checkOpen();
            if (State.IDLE != state && State.BOUND != state && State.ADDR_RESOLVED != state)
            {
                throw new VerbsException(Errno.EINVAL, "resolveAddress in state " + state);
            }
            final InetAddress sourceIp = routeSource(source, dst);
            if (null == sourceIp)
            {
                event = new CmEvent(CmEventType.ADDR_ERROR, this, null, -Errno.ENETUNREACH.code(), null);
            }
            else
            {
                if (State.IDLE == state)
                {
                    local = new InetSocketAddress(sourceIp, null == source ? 0 : source.getPort());
                }
                peer = dst;
                verbsContext = manager.defaultContext();
                state = State.ADDR_RESOLVED;
                event = new CmEvent(CmEventType.ADDR_RESOLVED, this, null, 0, null);
            }
        }
        deliver(event);
    }

    private static InetAddress routeSource(final InetSocketAddress source, final InetSocketAddress destination)
    {
        if (null != source && !source.getAddress().isAnyLocalAddress())
        {
            return source.getAddress();
        }
        if (destination.getAddress().isAnyLocalAddress() || destination.getAddress().isLoopbackAddress())
        {
            return InetAddress.getLoopbackAddress();
        }
        try (DatagramChannel probe = PlatformSelectorProvider.get().openDatagramChannel())
        {
            probe.connect(new InetSocketAddress(destination.getAddress(), Math.max(1, destination.getPort())));
            return ((InetSocketAddress)probe.getLocalAddress()).getAddress();
        }
        catch (final IOException | RuntimeException ex)
        {
            return null;
        }
    }

    @Override
    public void resolveRoute(final Duration timeout) throws VerbsException
    {
        synchronized (this)
        {
            checkOpen();
            if (State.ADDR_RESOLVED != state && State.ROUTE_RESOLVED != state)
            {
                throw new VerbsException(Errno.EINVAL, "resolveRoute before ADDR_RESOLVED (state " + state + ")");
            }
            state = State.ROUTE_RESOLVED;
        }
        deliver(new CmEvent(CmEventType.ROUTE_RESOLVED, this, null, 0, null));
    }

    @Override
    public synchronized void listen(final int backlog) throws VerbsException
    {
        checkOpen();
        if (State.IDLE == state)
        {
            bind(new InetSocketAddress(0));
        }
        if (State.BOUND != state && State.LISTENING != state)
        {
            throw new VerbsException(Errno.EINVAL, "listen in state " + state);
        }
        state = State.LISTENING;
        listener.listen(backlog);
    }

    @Override
    public synchronized boolean shareTcpPort(
        final java.util.function.Consumer<io.rdmasockets.verbs.cm.PlainTcpConnection> sink) throws VerbsException
    {
        checkOpen();
        if (null == listener)
        {
            throw new VerbsException(Errno.EINVAL, "shareTcpPort on an unbound id (state " + state + ")");
        }
        listener.sharePort(java.util.Objects.requireNonNull(sink, "sink"));
        return true;
    }

    @Override
    public synchronized QueuePair createQueuePair(final ProtectionDomain pd, final QueuePairInitAttributes attributes)
        throws VerbsException
    {
        checkOpen();
        if (null == verbsContext || null != qp)
        {
            throw new VerbsException(Errno.EINVAL, null == qp ? "createQueuePair: id not bound to a device" :
                "createQueuePair: id already has a queue pair");
        }
        final ProtectionDomain domain = null == pd ? manager.defaultPd() : pd;
        if (!(domain instanceof TcpProtectionDomain))
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: not a tcp protection domain: " + pd);
        }
        final TcpQueuePair created = (TcpQueuePair)domain.createQueuePair(attributes);
        created.toInit();
        qp = created;
        return created;
    }

    @Override
    public synchronized QueuePair queuePair()
    {
        return qp;
    }

    @Override
    public void connect(final ConnectionParameters parameters) throws VerbsException
    {
        CmEvent failure = null;
        synchronized (this)
        {
            checkOpen();
            if (State.ROUTE_RESOLVED != state && State.ADDR_RESOLVED != state)
            {
                throw new VerbsException(Errno.EINVAL, "connect before ROUTE_RESOLVED (state " + state + ")");
            }
            if (null == qp || !qp.isOpen())
            {
                throw new VerbsException(Errno.EINVAL, "connect: create the queue pair first");
            }
            if (parameters.privateDataLength() > ConnectionParameters.MAX_CONNECT_PRIVATE_DATA)
            {
                throw new VerbsException(Errno.EINVAL, "connect: private data of " + parameters.privateDataLength() +
                    " bytes exceeds " + ConnectionParameters.MAX_CONNECT_PRIVATE_DATA);
            }
            InetSocketAddress source = null;
            if (null != listener)
            {
                // The port reserved by bind moves from the server socket to the connecting socket.
                source = local;
                listener.close();
                listener = null;
            }
            else if (null != local && 0 != local.getPort())
            {
                source = local;
            }
            state = State.CONNECTING;
            try
            {
                connection = TcpConnection.connect(this, source, peer,
                    CmFrames.connect(TYPE_REQ, portSpace.code(), qp.qpNumber(), parameters));
            }
            catch (final IOException ex)
            {
                failure = new CmEvent(CmEventType.UNREACHABLE, this, null, -Errno.EHOSTUNREACH.code(), null);
            }
        }
        if (null != failure)
        {
            deliver(failure);
        }
    }

    @Override
    public void accept(final ConnectionParameters parameters) throws VerbsException
    {
        final TcpConnection c;
        final TcpQueuePair q;
        synchronized (this)
        {
            checkOpen();
            if (State.REQUESTED != state || null == qp)
            {
                throw new VerbsException(Errno.EINVAL, null == qp ? "accept: create the queue pair first" :
                    "accept: no pending connect request");
            }
            if (parameters.privateDataLength() > ConnectionParameters.MAX_ACCEPT_PRIVATE_DATA)
            {
                throw new VerbsException(Errno.EINVAL, "accept: private data of " + parameters.privateDataLength() +
                    " bytes exceeds " + ConnectionParameters.MAX_ACCEPT_PRIVATE_DATA);
            }
            c = connection;
            q = qp;
        }
        c.handshake().accept(q, parameters, portSpace.code());
    }

    @Override
    public void reject(final byte[] privateData) throws VerbsException
    {
        final TcpConnection c;
        synchronized (this)
        {
            checkOpen();
            if (State.REQUESTED != state)
            {
                throw new VerbsException(Errno.EINVAL, "reject: no pending connect request");
            }
            if (null != privateData && privateData.length > ConnectionParameters.MAX_REJECT_PRIVATE_DATA)
            {
                throw new VerbsException(Errno.EINVAL, "reject: private data of " + privateData.length +
                    " bytes exceeds " + ConnectionParameters.MAX_REJECT_PRIVATE_DATA);
            }
            c = connection;
        }
        c.handshake().reject(privateData);
    }

    @Override
    public void disconnect() throws VerbsException
    {
        final TcpConnection c;
        synchronized (this)
        {
            checkOpen();
            c = connection;
        }
        if (null == c)
        {
            throw new VerbsException(Errno.EINVAL, "disconnect: not connected");
        }
        c.handshake().disconnect();
    }

    @Override
    public void migrate(final CmEventChannel newChannel) throws VerbsException
    {
        if (!(newChannel instanceof TcpCmEventChannel c) || c.manager() != manager)
        {
            throw new VerbsException(Errno.EINVAL, "migrate: channel of another connection manager");
        }
        synchronized (this)
        {
            checkOpen();
            final TcpCmEventChannel old = channel;
            if (old == c)
            {
                return;
            }
            c.resources().add();
            channel = c;
            old.resources().remove();
        }
    }

    @Override
    public synchronized void reuseAddress(final boolean reuse) throws VerbsException
    {
        checkOpen();
        if (State.IDLE != state)
        {
            throw new VerbsException(Errno.EINVAL, "reuseAddress after bind");
        }
        this.reuse = reuse;
    }

    @Override
    public synchronized InetSocketAddress localAddress()
    {
        if (null != connection && connection.isOpen())
        {
            final InetSocketAddress a = connection.localAddress();
            if (null != a)
            {
                return a;
            }
        }
        return local;
    }

    @Override
    public synchronized InetSocketAddress peerAddress()
    {
        return peer;
    }

    @Override
    public synchronized boolean isOpen()
    {
        return State.CLOSED != state;
    }

    @Override
    public void close()
    {
        final TcpListener l;
        final TcpConnection c;
        final TcpQueuePair q;
        final TcpCmEventChannel ch;
        synchronized (this)
        {
            if (State.CLOSED == state)
            {
                return;
            }
            state = State.CLOSED;
            l = listener;
            c = connection;
            q = qp;
            ch = channel;
            listener = null;
        }
        if (null != l)
        {
            l.close();
        }
        if (null != c)
        {
            c.handshake().closeFromId();
        }
        if (null != q)
        {
            q.closeKeepingConnection();
        }
        ch.resources().remove();
    }

    private void checkOpen() throws VerbsException
    {
        if (State.CLOSED == state)
        {
            throw new VerbsException(Errno.EBADF, "id is closed");
        }
    }

    @Override
    public String toString()
    {
        return "TcpCmId[" + portSpace + ", local=" + local + ", peer=" + peer + "]";
    }
}
