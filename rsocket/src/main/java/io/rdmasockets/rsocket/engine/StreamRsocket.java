package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PortSpace;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rdmasockets.rsocket.engine.RsocketState.*;

/**
 * One stream rsocket over the verbs SPI: connection setup as C's {@code rconnect}/{@code rlisten}/
 * {@code raccept} (wire-protocol doc section 1), the data path in {@link DataPath}, shutdown and close
 * as section 4.2, keepalive as 4.3 ({@link KeepaliveService}), nonblocking connect as 4.4 (driven by
 * {@link RsocketService}), readiness as 4.5 ({@link #pollEvents()}). Status codes (negative errno) on the
 * data path; {@link ErrnoException} on the control path.
 *
 * <p><b>Note:</b> thread safe: one thread may read while another writes.
 */
public final class StreamRsocket implements AutoCloseable
{
    /** {@code SHUT_RD}. */
    public static final int SHUT_RD = 0;
    /** {@code SHUT_WR}. */
    public static final int SHUT_WR = 1;
    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = 2;

    /** {@code MSG_PEEK}: read without consuming. */
    public static final int MSG_PEEK = DataPath.MSG_PEEK;
    /** {@code MSG_DONTWAIT}: this call only is nonblocking. */
    public static final int MSG_DONTWAIT = DataPath.MSG_DONTWAIT;
    /** {@code MSG_WAITALL}: a read waits for the whole length (or end of stream, or an error). */
    public static final int MSG_WAITALL = DataPath.MSG_WAITALL;

    /** poll(2)'s {@code POLLIN}. */
    public static final int POLLIN = 0x1;
    /** poll(2)'s {@code POLLOUT}. */
    public static final int POLLOUT = 0x4;
    /** poll(2)'s {@code POLLERR}. */
    public static final int POLLERR = 0x8;
    /** poll(2)'s {@code POLLHUP}. */
    public static final int POLLHUP = 0x10;
    /** poll(2)'s {@code POLLNVAL}. */
    public static final int POLLNVAL = 0x20;

    private static final int CONN_RETRIES = 6;
    private static final long CONNECT_TIMEOUT_MS = 30_000;
    private static final long ACCEPT_SLICE_NS = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * How long close waits for its DISCONNECT to complete. C waits without limit, so a peer that has
     * stopped reading (no receives posted: our message RNR-retries forever) would hang close.
     */
    private static final long CLOSE_DRAIN_NS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger OPEN = new AtomicInteger();
    private static final VarHandle WATCHERS;

    static
    {
        try
        {
            WATCHERS = MethodHandles.lookup().findVarHandle(StreamRsocket.class, "watchers", long.class);
        }
        catch (final ReflectiveOperationException e)
        {
            throw new ExceptionInInitializerError(e);
        }
    }

    volatile int state = INIT;
    private volatile int err;
    private volatile boolean nonblocking;
    private volatile boolean keepAlive;
    private volatile int keepAliveIdleSeconds;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ConnectionManager cm;
    private final RsocketConfig config;
    private final CmEventChannel cmChannel;
    private final CmId cmId;
    private final LinkedBlockingQueue<StreamRsocket> acceptQueue = new LinkedBlockingQueue<>();
    private final List<StreamRsocket> accepting = new ArrayList<>();
    private StreamRsocket listener;
    private Endpoint ep;
    private DataPath data;

    private final RsocketOptions options;
    /** Bits of the {@link PollWaiter}s watching this socket; see {@link #watch}. */
    private volatile long watchers;

    /** Nonblocking connect, driven by the service thread: where to, and resolution retries so far. */
    private InetSocketAddress destination;
    private int retries;
    private long connectingSinceNs;

    private StreamRsocket(final ConnectionManager cm, final RsocketConfig config, final CmId id,
        final StreamRsocket inheritFrom) throws VerbsException
    {
        this.cm = cm;
        this.config = config;
        this.cmChannel = cm.createEventChannel();
        try
        {
            this.cmId = null == id ? cm.createId(cmChannel, PortSpace.TCP, this) : id;
        }
        catch (final VerbsException | RuntimeException e)
        {
            closeQuietly(cmChannel);
            throw e;
        }
        this.options = new RsocketOptions(this, config, null == inheritFrom ? null : inheritFrom.options);
        OPEN.incrementAndGet();
    }

    /** @return sockets opened (or accepted) and not yet closed in this process (leak checks, counters). */
    public static int openSockets()
    {
        return OPEN.get();
    }

    /** @return endpoints (queue pair, CQ, rings) not yet released in this process (leak checks, counters). */
    public static int openEndpoints()
    {
        return Endpoint.open();
    }

    /** @return sockets the keepalive service is watching (tests, counters). */
    public static int keepaliveSockets()
    {
        return KeepaliveService.registered();
    }

    /** @return the state bits, numbered as C's {@code enum rs_state}; {@link RsocketState#toString(int)} names them. */
    public int state()
    {
        return state;
    }

    /**
     * {@code rsocket(AF_INET, SOCK_STREAM, 0)}.
     *
     * @param provider the verbs provider.
     * @param config   the process defaults.
     * @return an unconnected socket.
     * @throws ErrnoException when the provider cannot create a connection id.
     */
    public static StreamRsocket open(final VerbsProvider provider, final RsocketConfig config) throws ErrnoException
    {
        return new StreamRsocket(provider.connectionManager(), config, null, null);
    }

    // ---------------------------------------------------------------------------------------- options

    /**
     * Sets buffer and queue sizes before connecting (SOL_RDMA options and SO_SNDBUF/SO_RCVBUF).
     *
     * @param sbuf    send ring bytes, or -1 to keep.
     * @param rbuf    receive ring bytes, or -1 to keep.
     * @param sq      send queue size, or -1.
     * @param rq      receive queue size, or -1.
     * @param inline  inline bytes, or -1.
     * @param iomap   iomap entries, or -1.
     * @throws ErrnoException {@code EINVAL} once connecting (C refuses them from {@code rs_opening}).
     */
    public void sizes(final int sbuf, final int rbuf, final int sq, final int rq, final int inline, final int iomap)
        throws ErrnoException
    {
        final RsocketOptions o = options;
        synchronized (o)
        {
            if (sizesFixed())
            {
                throw new ErrnoException(Errno.EINVAL, "buffer and queue sizes are fixed once connecting");
            }
            o.sbufSize = sbuf < 0 ? o.sbufSize : Math.max(sbuf, 2 * SendWindow.SNDLOWAT);
            o.rbufSize = rbuf < 0 ? o.rbufSize : Math.max(rbuf & ~1, 2);
            o.sqSize = sq < 0 ? o.sqSize : Math.min(sq, Endpoint.QP_MAX_SIZE);
            o.rqSize = rq < 0 ? o.rqSize : Math.min(rq, Endpoint.QP_MAX_SIZE);
            o.sqInline = inline < 0 ? o.sqInline : Math.min(inline, Endpoint.QP_MAX_SIZE);
            o.iomapSize = iomap < 0 ? o.iomapSize : RsocketConfig.roundIomapSize(Math.min(iomap, 0xFFFF));
        }
    }

    /** @return whether connecting has begun (C's {@code state >= rs_opening}): SOL_RDMA options are refused. */
    public boolean sizesFixed()
    {
        return state >= OPENING;
    }

    /** @return the options, with C's {@code rsetsockopt}/{@code rgetsockopt} semantics. */
    public RsocketOptions options()
    {
        return options;
    }

    /** @param nonblocking O_NONBLOCK. */
    public void nonblocking(final boolean nonblocking)
    {
        this.nonblocking = nonblocking;
    }

    /**
     * {@code SO_KEEPALIVE} (wire-protocol doc section 4.3): while on, an idle connection is probed so a
     * dead peer is noticed.
     *
     * @param on whether to probe.
     */
    public void keepAlive(final boolean on)
    {
        keepAlive = on;
        if (on && 0 != (state & CONNECTED))
        {
            KeepaliveService.register(this);
        }
        else if (!on)
        {
            KeepaliveService.unregister(this);
        }
    }

    /**
     * {@code TCP_KEEPIDLE}: seconds without traffic before a keepalive probe (otherwise
     * {@code /proc/sys/net/ipv4/tcp_keepalive_time}, else 7200).
     *
     * @param seconds 1 to 32767, as Linux.
     * @throws ErrnoException {@code EINVAL} out of range.
     */
    public void keepAliveIdleSeconds(final int seconds) throws ErrnoException
    {
        if (seconds < 1 || seconds > Short.MAX_VALUE)
        {
            throw new ErrnoException(Errno.EINVAL, "TCP_KEEPIDLE " + seconds);
        }
        keepAliveIdleSeconds = seconds;
        if (keepAlive && 0 != (state & CONNECTED))
        {
            KeepaliveService.register(this);
        }
    }

    /** @return SO_KEEPALIVE. */
    public boolean keepAlive()
    {
        return keepAlive;
    }

    /** @return {@code TCP_KEEPIDLE} as C reports it: as set, else the system's once keepalive is on, else 0. */
    int keepAliveIdleSecondsReported()
    {
        final int seconds = keepAliveIdleSeconds;
        return 0 != seconds ? seconds : keepAlive ? SystemIdle.SECONDS : 0;
    }

    /** @return the active MTU of the device port the connection uses, or 0 before it has one. */
    int activeMtu()
    {
        final Endpoint e = ep;
        if (null == e || 0 != (state & CLOSED))
        {
            return 0;
        }
        try
        {
            // The SPI names no port per id; the providers so far have one.
            return e.channel.context().queryPort(1).activeMtu();
        }
        catch (final ErrnoException | RuntimeException ex)
        {
            return 0;
        }
    }

    /** Called by the keepalive service; see {@link ControlMessages#keepalive}. */
    long keepaliveVisit(final long nowNs)
    {
        final DataPath d = data;
        if (null == d || closed.get() || !keepAlive)
        {
            return -1;
        }
        final int seconds = keepAliveIdleSeconds;
        return d.control.keepalive(nowNs, TimeUnit.SECONDS.toNanos(0 != seconds ? seconds : SystemIdle.SECONDS));
    }

    /** {@code /proc/sys/net/ipv4/tcp_keepalive_time}, read once, when first needed. */
    private static final class SystemIdle
    {
        static final int SECONDS = KeepaliveService.systemIdleSeconds();
    }

    /** @return keepalive probes posted on this connection (tests, counters). */
    public long keepaliveProbes()
    {
        final DataPath d = data;
        return null == d ? 0 : d.control.probesSent();
    }

    /**
     * @return the queue pair, or null before connecting: the conformance suites inject faults through it
     *         (a peer whose queue pair fails or vanishes). The engine package is exported only to them.
     */
    public QueuePair queuePair()
    {
        final Endpoint e = ep;
        return null == e ? null : e.qp;
    }

    /** The connection is up: start what waits for that. */
    private void established()
    {
        if (keepAlive)
        {
            KeepaliveService.register(this);
        }
    }

    /** @return the local address, or null. */
    public InetSocketAddress localAddress()
    {
        return cmId.localAddress();
    }

    /** @return the peer's address, or null. */
    public InetSocketAddress peerAddress()
    {
        return cmId.peerAddress();
    }

    /** @return and clear the pending error (SO_ERROR), 0 when none. */
    public int takeError()
    {
        final int e = err;
        err = 0;
        return e;
    }

    /**
     * {@code SO_REUSEADDR}: C maps it to {@code RDMA_OPTION_ID_REUSEADDR} (wire-protocol doc section 6.2).
     *
     * @param on whether a bind may reuse an address in TIME_WAIT.
     * @throws ErrnoException when the provider refuses, e.g. once bound.
     */
    public void reuseAddress(final boolean on) throws ErrnoException
    {
        cmId.reuseAddress(on);
    }

    // ---------------------------------------------------------------------------------------- setup

    /**
     * {@code rbind}.
     *
     * @param address the local address.
     * @throws ErrnoException e.g. {@code EADDRINUSE}.
     */
    public void bind(final InetSocketAddress address) throws ErrnoException
    {
        if (options.v6Only() && isIpv4(address))
        {
            throw new ErrnoException(Errno.EINVAL, "bind to " + address + " with IPV6_V6ONLY");
        }
        cmId.bind(address);
        state = BOUND;
    }

    /** @return whether the address is IPv4, which IPV6_V6ONLY excludes (Java shows IPv4-mapped ones so). */
    private static boolean isIpv4(final InetSocketAddress address)
    {
        return null != address && address.getAddress() instanceof java.net.Inet4Address;
    }

    /**
     * {@code rlisten}: from now on the service thread accepts requests without waiting for
     * {@link #accept()}.
     *
     * @param backlog connection requests the provider queues.
     * @throws ErrnoException e.g. {@code EADDRINUSE}.
     */
    public void listen(final int backlog) throws ErrnoException
    {
        if (LISTENING == state)
        {
            return;
        }
        cmId.listen(backlog);
        state = LISTENING;
        watchEvents();
    }

    /**
     * {@code raccept}.
     *
     * @return the next established connection.
     * @throws ErrnoException {@code EAGAIN} when non-blocking and none is ready, {@code EINVAL} when not
     *                        listening, {@code EBADF} once closed.
     */
    public StreamRsocket accept() throws ErrnoException
    {
        return accept(0);
    }

    /**
     * {@code raccept} with a time limit ({@code SO_TIMEOUT} on a server socket).
     *
     * @param timeoutMs how long to wait for a connection; 0 waits without limit (or not at all when
     *                  non-blocking).
     * @return the next established connection.
     * @throws ErrnoException {@code EAGAIN} when none arrived in time or, non-blocking, none is ready;
     *                        {@code EINVAL} when not listening; {@code EBADF} once closed (also while waiting).
     */
    public StreamRsocket accept(final long timeoutMs) throws ErrnoException
    {
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
                final StreamRsocket rs = nonblocking || sliceNs <= 0 ? acceptQueue.poll() :
                    acceptQueue.poll(sliceNs, TimeUnit.NANOSECONDS);
                if (null != rs)
                {
                    return rs;
                }
                if (LISTENING != state)
                {
                    throw new ErrnoException(Errno.EBADF, "accept on a closed socket");
                }
                if (nonblocking || (0 != deadlineNs && System.nanoTime() - deadlineNs >= 0))
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
     * {@code rconnect}: resolve, create the endpoint, exchange connection data.
     *
     * <p>Blocking, it returns once connected. {@link #nonblocking(boolean) Non-blocking}, it starts the
     * connection and throws {@code EINPROGRESS} at once, as C; the service thread then carries the
     * connection through without the application calling in (section 4.4). Meanwhile {@link #send} and
     * {@link #recv} return {@code -EAGAIN} and {@link #pollEvents()} 0; then {@link #pollEvents()} reports
     * {@code POLLOUT} (connected) or {@code POLLERR} (failed) and {@link #takeError()} the outcome: 0, or
     * {@code ECONNREFUSED}, {@code EHOSTUNREACH}, ...
     *
     * @param destination the peer.
     * @throws ErrnoException {@code EINPROGRESS} when non-blocking; {@code ECONNREFUSED}, {@code ETIMEDOUT},
     *                        {@code EISCONN}, {@code EALREADY}, ...
     */
    public void connect(final InetSocketAddress destination) throws ErrnoException
    {
        connect(destination, 0);
    }

    /**
     * {@link #connect(InetSocketAddress)} with an overall time limit for a blocking connect.
     *
     * @param destination the peer.
     * @param timeoutMs   the limit; 0 for none beyond the connect step's own {@value #CONNECT_TIMEOUT_MS} ms.
     * @throws ErrnoException {@code ETIMEDOUT} when the limit passes, else as {@link #connect(InetSocketAddress)}.
     */
    public void connect(final InetSocketAddress destination, final long timeoutMs) throws ErrnoException
    {
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
        if (options.v6Only() && isIpv4(destination))
        {
            throw new ErrnoException(Errno.ENETUNREACH, "connect to " + destination + " with IPV6_V6ONLY");
        }
        startConnect(destination);
        if (nonblocking)
        {
            throw new ErrnoException(Errno.EINPROGRESS, "connect to " + destination);
        }
        awaitConnect(destination, timeoutMs);
    }

    /**
     * A blocking connect waits for the same event-driven steps a nonblocking one takes on the service
     * thread ({@link #onConnectProgress}); the connect step itself is given {@value #CONNECT_TIMEOUT_MS} ms.
     */
    private synchronized void awaitConnect(final InetSocketAddress to, final long timeoutMs) throws ErrnoException
    {
        final long deadlineNs = timeoutMs <= 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try
        {
            while (0 != (state & OPENING))
            {
                if (closed.get())
                {
                    connectFailed(Errno.EBADF.code());
                }
                else if (0 != deadlineNs && System.nanoTime() - deadlineNs >= 0)
                {
                    connectFailed(Errno.ETIMEDOUT.code());
                }
                else if (CONNECTING == state &&
                    System.nanoTime() - connectingSinceNs > TimeUnit.MILLISECONDS.toNanos(CONNECT_TIMEOUT_MS))
                {
                    connectFailed(Errno.ETIMEDOUT.code());
                }
                else
                {
                    // Progress notifies; the slice only bounds how late a close or deadline is noticed.
                    wait(0 == deadlineNs ? 100 :
                        Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime()) + 1)));
                }
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            connectFailed(Errno.EINTR.code());
        }
        if (CONNECT_ERROR == state)
        {
            throw new ErrnoException(err, "connect to " + to, null);
        }
    }

    /** The first step of a nonblocking connect; {@link #onConnectProgress} takes the rest. */
    private void startConnect(final InetSocketAddress to) throws ErrnoException
    {
        destination = to;
        retries = 0;
        state = RESOLVING_ADDR;
        options.routeUsed();
        watchEvents();
        try
        {
            cmId.resolveAddress(null, to, resolveTimeout(0));
        }
        catch (final ErrnoException e)
        {
            connectFailed(e.errno());
            throw e;
        }
    }

    private static Duration resolveTimeout(final int retries)
    {
        return Duration.ofMillis(1000L << retries);
    }

    /** A nonblocking connect's next step, on the service thread (C's connect_svc). */
    private synchronized void onConnectProgress(final CmEvent ev)
    {
        final int s = state;
        if (closed.get() || 0 == (s & OPENING))
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
                        state = RESOLVING_ROUTE;
                        retries = 0;
                        cmId.resolveRoute(resolveTimeout(0));
                    }
                    else if (ok == ev.type())
                    {
                        createEndpoint();
                        state = CONNECTING;
                        connectingSinceNs = System.nanoTime();
                        cmId.connect(ConnectionParameters.rsocketDefaults(formatConnData()));
                    }
                    else if (-Errno.ETIMEDOUT.code() == ev.status() && ++retries <= CONN_RETRIES)
                    {
                        if (address)
                        {
                            cmId.resolveAddress(null, destination, resolveTimeout(retries));
                        }
                        else
                        {
                            cmId.resolveRoute(resolveTimeout(retries));
                        }
                    }
                    else
                    {
                        connectFailed(ev.status() < 0 ? -ev.status() : Errno.EHOSTUNREACH.code());
                    }
                }
                case ESTABLISHED ->
                {
                    if (CONNECTING == s)
                    {
                        applyPeer(ConnData.Peer.parse(ev.privateData()));
                        state = CONNECT_RDWR;
                        established();
                        notifyAll();
                    }
                }
                default ->
                {
                    if (CONNECTING == s)
                    {
                        connectFailed(connectFailure(ev, destination).errno());
                    }
                }
            }
        }
        catch (final ErrnoException e)
        {
            connectFailed(e.errno());
        }
    }

    private synchronized void connectFailed(final int errno)
    {
        err = errno;
        state = CONNECT_ERROR;
        notifyAll();
        signalWatchers();
    }

    private static ErrnoException connectFailure(final CmEvent ev, final InetSocketAddress destination)
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

    private synchronized void createEndpoint() throws ErrnoException
    {
        if (closed.get())
        {
            throw new ErrnoException(Errno.EBADF, "closed while connecting");
        }
        final RsocketOptions o = options;
        synchronized (o)
        {
            ep = Endpoint.create(cmId, o.sqSize, o.rqSize, o.sqInline, o.sbufSize, o.rbufSize, o.iomapSize);
            // Reported from now on: the sizes granted, as C's rs_set_qp_size and the provider leave them.
            o.sqSize = ep.sqSize;
            o.rqSize = ep.rqSize;
            o.sqInline = ep.sqInline;
            o.buffersFixed = true;
        }
        data = new DataPath(this, ep, config.pollingTimeUs(), config.wakeUpIntervalMs());
        // Completion events (and wakeups) may change readiness: tell whoever polls this socket.
        ep.channel.readyListener(this::signalWatchers);
        final int rc = data.progress.postInitialReceives();
        if (0 != rc)
        {
            throw new ErrnoException(rc, "post receives", null);
        }
    }

    private byte[] formatConnData()
    {
        final RsocketOptions o = options;
        synchronized (o)
        {
            return ConnData.format(o.rqSize, o.iomapSize, ep.targetBuffer.address(), ep.targetMr.rkey(),
                ep.rbuf.address(), ep.rmr.rkey(), o.rbufSize >> 1);
        }
    }

    private void applyPeer(final ConnData.Peer peer)
    {
        data.onConnected(peer.sglAddress(), peer.sglKey(), peer.sglEntries(), peer.bigEndian(), peer.bufAddress(),
            peer.bufKey(), peer.bufLength(), peer.credits());
    }

    // ---------------------------------------------------------------------------------------- events

    /** Hands this socket's connection-manager events to the service thread from now on. */
    private void watchEvents()
    {
        cmChannel.readyListener(() -> RsocketService.execute(this::drainEvents));
        // An event that arrived before the listener was installed fired nothing: look once.
        RsocketService.execute(this::drainEvents);
    }

    private void drainEvents()
    {
        try
        {
            CmEvent ev;
            while (cmChannel.isOpen() && null != (ev = cmChannel.awaitEvent(0, TimeUnit.MILLISECONDS)))
            {
                try
                {
                    onEvent(ev);
                }
                catch (final RuntimeException e)
                {
                    // One socket's bug must not take the service thread, or other sockets' events, with it.
                    System.getLogger(StreamRsocket.class.getName()).log(System.Logger.Level.ERROR,
                        "rsocket " + this + ": " + ev, e);
                }
                // Connected, failed, disconnected: whoever polls this socket looks again.
                signalWatchers();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void onEvent(final CmEvent ev)
    {
        if (0 != (state & OPENING) && ACCEPTING != state)
        {
            onConnectProgress(ev);
            return;
        }
        switch (ev.type())
        {
            case CONNECT_REQUEST -> onConnectRequest(ev);
            case ESTABLISHED ->
            {
                if (ACCEPTING == state)
                {
                    onAccepted();
                }
            }
            case DISCONNECTED, DEVICE_REMOVAL -> onDisconnected();
            case REJECTED, CONNECT_ERROR, UNREACHABLE ->
            {
                if (ACCEPTING == state)
                {
                    state = CONNECT_ERROR;
                    close();
                }
            }
            default ->
            {
                // TIMEWAIT_EXIT and address changes need no action.
            }
        }
    }

    /** An accepted connection is up: queue it for accept, or close it when the listener is gone. */
    private void onAccepted()
    {
        final StreamRsocket l = listener;
        final boolean queued;
        // Listener before child, as the listener's close takes them.
        synchronized (l)
        {
            queued = !l.closed.get() && !closed.get();
            if (queued)
            {
                state = CONNECT_RDWR;
                synchronized (l.accepting)
                {
                    l.accepting.remove(this);
                }
                l.acceptQueue.add(this);
            }
        }
        if (queued)
        {
            l.signalWatchers();
        }
        if (!queued)
        {
            close();
        }
    }

    /** {@code rs_accept}, run by the service thread: C accepts before the application asks. */
    private synchronized void onConnectRequest(final CmEvent ev)
    {
        final CmId child = ev.id();
        StreamRsocket rs = null;
        boolean accepting = false;
        try
        {
            final byte[] creq = ev.privateData();
            if (closed.get())
            {
                throw new ErrnoException(Errno.ECONNREFUSED, "listener closed");
            }
            if (options.v6Only() && isIpv4(child.peerAddress()))
            {
                // An AF_INET6-only listener does not match an IPv4 request (RDMA_OPTION_ID_AFONLY).
                throw new ErrnoException(Errno.ECONNREFUSED, "IPv4 peer on an IPV6_V6ONLY listener");
            }
            // Before any resource: providers pad private data with zeros, so a short request passes the
            // length check and only the contents tell.
            final ConnData.Peer peer = ConnData.Peer.parse(creq);
            rs = new StreamRsocket(cm, config, child, this);
            rs.listener = this;
            child.migrate(rs.cmChannel);
            rs.createEndpoint();
            rs.applyPeer(peer);
            final ConnectionParameters req = ev.parameters();
            // C echoes the request's transport parameters (rnr_retry 7 from any rsocket peer).
            accepting = true;
            child.accept(new ConnectionParameters(rs.formatConnData(), req.responderResources(),
                req.initiatorDepth(), req.flowControl(), req.retryCount(), req.rnrRetryCount()));
            rs.state = ACCEPTING;
            synchronized (this.accepting)
            {
                this.accepting.add(rs);
            }
            rs.watchEvents();
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
                closeQuietly(child);
            }
        }
    }

    /** The connection manager says the peer is gone: flush the queue pair and wake every waiter. */
    private synchronized void onDisconnected()
    {
        if (closed.get())
        {
            return;
        }
        if (0 != (state & CONNECTED) || ACCEPTING == state)
        {
            state = DISCONNECTED;
        }
        final Endpoint e = ep;
        if (null != e && e.qp.isOpen())
        {
            try
            {
                e.qp.modifyToError();
            }
            catch (final VerbsException ignored)
            {
                // Already destroyed by a concurrent close.
            }
        }
        final DataPath d = data;
        if (null != d)
        {
            d.wakeup();
        }
    }

    // ---------------------------------------------------------------------------------------- data

    /**
     * {@code rsend}.
     *
     * @param src    the bytes.
     * @param offset where they start.
     * @param length how many.
     * @param flags  MSG_DONTWAIT.
     * @return bytes sent, or a negative errno: {@code EAGAIN} while a nonblocking connect is under way,
     *         {@code EBADF} once closed.
     */
    public int send(final MemorySegment src, final long offset, final int length, final int flags)
    {
        final int s = state;
        final int early = notReady(s);
        if (0 != early)
        {
            return early;
        }
        final DataPath d = data;
        if (null == d || 0 == (s & (CONNECTED | DISCONNECTED | ERROR)))
        {
            return -Errno.ENOTCONN.code();
        }
        return d.send(src, offset, length, nonblocking || 0 != (flags & DataPath.MSG_DONTWAIT));
    }

    /**
     * {@code rsendv}: a gather send, with no other send in between; the bytes of several segments may share
     * one message.
     *
     * @param iov    the segments, each sent whole.
     * @param count  how many of {@code iov}.
     * @param length their total size.
     * @param flags  MSG_DONTWAIT.
     * @return bytes sent, or a negative errno as {@link #send}.
     */
    public long sendv(final MemorySegment[] iov, final int count, final long length, final int flags)
    {
        final int s = state;
        final int early = notReady(s);
        if (0 != early)
        {
            return early;
        }
        final DataPath d = data;
        if (null == d || 0 == (s & (CONNECTED | DISCONNECTED | ERROR)))
        {
            return -Errno.ENOTCONN.code();
        }
        return d.sendv(iov, count, length, nonblocking || 0 != (flags & DataPath.MSG_DONTWAIT));
    }

    /**
     * {@code rrecvv} filling every segment in order: waits (unless non-blocking) for the first bytes, then
     * takes what has arrived, with no other receive in between.
     *
     * @param iov    the segments, each filled from its start.
     * @param count  how many of {@code iov}.
     * @param length their total size.
     * @param flags  MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL.
     * @return bytes, 0 at end of stream, or a negative errno as {@link #recv(MemorySegment, long, int, int)}.
     */
    public long recvv(final MemorySegment[] iov, final int count, final long length, final int flags)
    {
        final int early = notReady(state);
        if (0 != early)
        {
            return early;
        }
        final DataPath d = data;
        if (null == d)
        {
            return -Errno.ENOTCONN.code();
        }
        return d.recvv(iov, count, length, flags, nonblocking || 0 != (flags & DataPath.MSG_DONTWAIT));
    }

    /**
     * {@code rrecv}.
     *
     * @param dst    where to copy.
     * @param offset where in {@code dst}.
     * @param length most bytes.
     * @param flags  MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL.
     * @return bytes, 0 at end of stream, or a negative errno: {@code EAGAIN} while a nonblocking connect
     *         is under way, {@code EBADF} once closed.
     */
    public int recv(final MemorySegment dst, final long offset, final int length, final int flags)
    {
        final int early = notReady(state);
        if (0 != early)
        {
            return early;
        }
        final DataPath d = data;
        if (null == d)
        {
            return -Errno.ENOTCONN.code();
        }
        return d.recv(dst, offset, length, flags, nonblocking || 0 != (flags & DataPath.MSG_DONTWAIT), 0);
    }

    /**
     * {@code rrecv} with a receive timeout ({@code SO_RCVTIMEO}).
     *
     * @param dst       where to copy.
     * @param offset    where in {@code dst}.
     * @param length    most bytes.
     * @param flags     MSG_DONTWAIT, MSG_PEEK, MSG_WAITALL.
     * @param timeoutMs how long to wait for data; 0 waits without limit.
     * @return bytes, 0 at end of stream, {@code -EAGAIN} when the time ran out, or another negative errno.
     */
    public int recv(final MemorySegment dst, final long offset, final int length, final int flags,
        final int timeoutMs)
    {
        final int early = notReady(state);
        if (0 != early)
        {
            return early;
        }
        final DataPath d = data;
        if (null == d)
        {
            return -Errno.ENOTCONN.code();
        }
        final long deadlineNs = timeoutMs <= 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        return d.recv(dst, offset, length, flags, nonblocking || 0 != (flags & DataPath.MSG_DONTWAIT), deadlineNs);
    }

    /** C's send and recv turn a connect in progress into EAGAIN; a closed socket has no resources left. */
    private static int notReady(final int s)
    {
        if (0 != (s & CLOSED))
        {
            return -Errno.EBADF.code();
        }
        return 0 != (s & OPENING) && ACCEPTING != s ? -Errno.EAGAIN.code() : 0;
    }

    /**
     * Readiness as {@code rpoll} reports it (section 4.5), without waiting: makes progress on the
     * completion queue first.
     *
     * @return an OR of {@link #POLLIN} (data, end of stream, or a connection to accept), {@link #POLLOUT}
     *         (room to send), {@link #POLLHUP} (disconnected), {@link #POLLERR} (failed, or a failed
     *         connect), {@link #POLLNVAL} (closed); 0 while connecting.
     */
    public int pollEvents()
    {
        return poll(false);
    }

    /**
     * {@link #pollEvents()} for a poller about to sleep (C's {@code rs_poll_arm}): first takes the completion
     * events that fired, so the completion channel signals again, and arms the completion queue, so the next
     * completion wakes the socket's {@link #watch watchers}. Call it after {@link #watch}: whatever happens
     * from then on either shows in the result or wakes the watcher.
     *
     * @return as {@link #pollEvents()}.
     */
    public int pollArm()
    {
        return poll(true);
    }

    private int poll(final boolean arm)
    {
        final int s = state;
        if (0 != (s & CLOSED))
        {
            return POLLNVAL;
        }
        if (LISTENING == s)
        {
            return acceptQueue.isEmpty() ? 0 : POLLIN;
        }
        if (CONNECT_ERROR == s)
        {
            return POLLIN | POLLOUT | POLLERR;
        }
        final DataPath d = data;
        if (null == d || 0 == (s & (CONNECTED | DISCONNECTED | ERROR)))
        {
            return 0;
        }
        d.stateLock().lock();
        try
        {
            if (closed.get())
            {
                return POLLNVAL;
            }
            if (arm)
            {
                d.progress.armForPoll();
            }
            int events = d.progress.readiness();
            final int now = state;
            if (0 == (now & CONNECTED))
            {
                events |= DISCONNECTED == now ? POLLHUP : POLLERR;
            }
            return events;
        }
        finally
        {
            d.stateLock().unlock();
        }
    }

    /**
     * Starts waking {@code waiter} whenever this socket's readiness may change (see {@link PollWaiter});
     * allocation-free. Watching again is harmless.
     *
     * @param waiter the poller.
     */
    public void watch(final PollWaiter waiter)
    {
        WATCHERS.getAndBitwiseOr(this, waiter.bit());
    }

    /**
     * Stops waking {@code waiter}. A waiter that shares its bit leaves it set: the others may still watch.
     *
     * @param waiter the poller.
     */
    public void unwatch(final PollWaiter waiter)
    {
        if (!waiter.shared())
        {
            WATCHERS.getAndBitwiseAnd(this, ~waiter.bit());
        }
    }

    /** Wakes the pollers watching this socket: its readiness may have changed. */
    void signalWatchers()
    {
        final long w = watchers;
        if (0 != w)
        {
            PollWaiter.wakeAll(w);
        }
    }

    /** @return bytes readable without waiting. */
    public long available()
    {
        final DataPath d = data;
        return null == d ? 0 : d.available();
    }

    /**
     * {@code rshutdown} (section 4.2).
     *
     * @param how {@link #SHUT_RD}, {@link #SHUT_WR} or {@link #SHUT_RDWR}.
     * @return 0 or a negative errno.
     */
    public int shutdown(final int how)
    {
        return shutdown(how, 0);
    }

    private int shutdown(final int how, final long deadlineNs)
    {
        if (how < SHUT_RD || how > SHUT_RDWR)
        {
            return -Errno.EINVAL.code();
        }
        final DataPath d = data;
        if (null == d || 0 == (state & CONNECTED))
        {
            return 0 != (state & (DISCONNECTED | ERROR)) ? 0 : -Errno.ENOTCONN.code();
        }
        final int ctrl = d.control.shutdownState(how);
        if (ctrl < 0)
        {
            d.wakeup();
            return 0;
        }
        d.wakeup();
        final int ret = d.control.sendControl(ctrl, deadlineNs);
        d.control.drainSends(deadlineNs);
        return ret;
    }

    // ---------------------------------------------------------------------------------------- close

    /**
     * {@code rclose}: shut down if connected (waiting at most a second for the peer to take the
     * DISCONNECT), wake every waiter, wait for callers to leave, release. Any thread, any number of times.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        OPEN.decrementAndGet();
        KeepaliveService.unregister(this);
        if (0 != (state & CONNECTED))
        {
            shutdown(SHUT_RDWR, System.nanoTime() + CLOSE_DRAIN_NS);
        }
        // Under the monitor: a connect step on the service thread either finished (its endpoint is seen
        // here) or sees closed and makes nothing.
        synchronized (this)
        {
            release();
        }
    }

    private void release()
    {
        state = CLOSED;
        signalWatchers();
        cmChannel.readyListener(null);
        cmChannel.wakeup();
        final DataPath d = data;
        if (null != d)
        {
            d.wakeup();
            d.sendLock().lock();
            d.recvLock().lock();
            d.stateLock().lock();
        }
        try
        {
            if (null != d)
            {
                d.progress.acknowledgePendingEvents();
                d.markReleased();
            }
            closeQuietly(cmId);
            if (null != ep)
            {
                ep.close();
            }
            closeQuietly(cmChannel);
            for (StreamRsocket rs; null != (rs = acceptQueue.poll()); )
            {
                rs.close();
            }
            final List<StreamRsocket> pending;
            synchronized (accepting)
            {
                pending = new ArrayList<>(accepting);
                accepting.clear();
            }
            pending.forEach(StreamRsocket::close);
        }
        finally
        {
            if (null != d)
            {
                d.stateLock().unlock();
                d.recvLock().unlock();
                d.sendLock().unlock();
            }
        }
    }

    // ---------------------------------------------------------------------------------------- errors

    /** The connection failed locally (a post or completion error): C's {@code rs_error}. */
    void fail(final int errno)
    {
        if (0 != (state & CONNECTED))
        {
            state = ERROR;
            err = errno;
        }
    }

    /** The peer broke the protocol: stop using the connection and report ECONNRESET from now on. */
    void protocolError(final String what)
    {
        System.getLogger(StreamRsocket.class.getName()).log(System.Logger.Level.WARNING,
            "rsocket " + cmId.localAddress() + " <- " + cmId.peerAddress() + ": " + what + "; resetting");
        state = ERROR;
        err = Errno.EPROTO.code();
        final Endpoint e = ep;
        if (null != e)
        {
            try
            {
                e.qp.modifyToError();
            }
            catch (final VerbsException ignored)
            {
                // Destroyed concurrently: the connection is gone either way.
            }
        }
    }

    /** @return the errno for a write on a socket that is not writable. */
    int writeErrno()
    {
        final int s = state;
        if (0 != (s & CONNECTED) && 0 == (s & (ERROR | DISCONNECTED)))
        {
            return Errno.EPIPE.code();
        }
        return Errno.ECONNRESET.code();
    }

    /** @return the errno for a read on a failed socket. */
    int readErrno()
    {
        return Errno.ECONNRESET.code();
    }

    @Override
    public String toString()
    {
        return "rsocket[" + RsocketState.toString(state) + " " + cmId.localAddress() + " -> " + cmId.peerAddress() + "]";
    }

    private static void closeQuietly(final AutoCloseable c)
    {
        try
        {
            c.close();
        }
        catch (final Exception ignored)
        {
            // Teardown continues regardless.
        }
    }
}
