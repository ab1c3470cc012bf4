package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.PortSpace;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rdmasockets.rsocket.engine.RsocketState.*;

/**
 * One stream rsocket over the verbs SPI: its API, state and close. Connection setup is C's {@code rconnect}
 * ({@link Connector}) and {@code rlisten}/{@code raccept} ({@link Acceptor}) (wire-protocol doc section 1),
 * driven by connection-manager events on the service thread ({@link CmEventHandler}, {@link RsocketService});
 * the data path is {@link DataPath}; shutdown and close as section 4.2, keepalive as 4.3 ({@link Keepalive}),
 * nonblocking connect as 4.4, readiness as 4.5 ({@link Readiness}). Status codes (negative errno) on the
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

    /** {@code PROT_NONE}: {@link #riomap} for local access only. */
    public static final int PROT_NONE = IoMaps.PROT_NONE;
    /** {@code PROT_WRITE}: {@link #riomap} for the peer to write into. */
    public static final int PROT_WRITE = IoMaps.PROT_WRITE;

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

    /**
     * How long close waits for its DISCONNECT to complete. C waits without limit, so a peer that has
     * stopped reading (no receives posted: our message RNR-retries forever) would hang close.
     */
    private static final long CLOSE_DRAIN_NS = TimeUnit.SECONDS.toNanos(1);
    private static final AtomicInteger OPEN = new AtomicInteger();

    /** C's {@code enum rs_state} bits, as {@link RsocketState} names them. */
    volatile int state = INIT;
    /** The pending error, SO_ERROR. */
    volatile int err;
    /** O_NONBLOCK. */
    volatile boolean nonblocking;
    final AtomicBoolean closed = new AtomicBoolean();
    final ConnectionManager cm;
    final RsocketConfig config;
    final CmEventChannel cmChannel;
    final CmId cmId;
    /** The listener that accepted this socket, or null. */
    StreamRsocket listener;
    Endpoint ep;
    DataPath data;

    final RsocketOptions options;
    /** Active connection setup ({@code rconnect}). */
    final Connector connector;
    /** Passive connection setup ({@code rlisten}, {@code raccept}). */
    final Acceptor acceptor;
    /** Connection-manager events, on the service thread. */
    final CmEventHandler events;
    /** Poll events and the pollers watching this socket. */
    final Readiness readiness;
    /** SO_KEEPALIVE and TCP_KEEPIDLE. */
    final Keepalive keepalive;

    StreamRsocket(final ConnectionManager cm, final RsocketConfig config, final CmId id,
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
        this.connector = new Connector(this);
        this.acceptor = new Acceptor(this);
        this.events = new CmEventHandler(this, cmChannel);
        this.readiness = new Readiness(this);
        this.keepalive = new Keepalive(this);
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
        options.sizes(sbuf, rbuf, sq, rq, inline, iomap);
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
        keepalive.on(on);
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
        keepalive.idleSeconds(seconds);
    }

    /** @return SO_KEEPALIVE. */
    public boolean keepAlive()
    {
        return keepalive.on();
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
    static boolean isIpv4(final InetSocketAddress address)
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
        acceptor.listen(backlog);
    }

    /**
     * {@code rlisten} for a server that also takes plain TCP clients on its port (as IBM JSOR could;
     * {@link SharedTcpPort} says how per provider). Its connections then come from {@link #acceptAny(long)}.
     *
     * @param backlog  connection requests the provider queues, and plain connections that may wait.
     * @param plainTcp whether plain TCP clients share the port.
     * @throws ErrnoException e.g. {@code EADDRINUSE} (also when another socket holds the TCP port);
     *                        {@code EINVAL} when already listening the other way.
     */
    public void listen(final int backlog, final boolean plainTcp) throws ErrnoException
    {
        acceptor.listen(backlog, plainTcp);
    }

    /** @return whether this listener takes plain TCP clients too ({@link #listen(int, boolean)}). */
    public boolean sharesTcpPort()
    {
        return acceptor.sharesTcpPort();
    }

    /**
     * {@link #accept(long)} for a listener that takes plain TCP clients too: the next connection of either
     * kind, in the order they were established.
     *
     * @param timeoutMs as {@link #accept(long)}.
     * @return a {@link StreamRsocket} or a {@link io.rdmasockets.verbs.cm.PlainTcpConnection} (whose
     *         received bytes come before the channel's).
     * @throws ErrnoException as {@link #accept(long)}.
     */
    public Object acceptAny(final long timeoutMs) throws ErrnoException
    {
        return acceptor.acceptAny(timeoutMs);
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
     *                        {@code EINVAL} when not listening, or listening with plain TCP clients; {@code EBADF} once closed (also while waiting).
     */
    public StreamRsocket accept(final long timeoutMs) throws ErrnoException
    {
        return acceptor.accept(timeoutMs);
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
     * @param timeoutMs   the limit; 0 for none beyond the connect step's own
     *                    {@value Connector#CONNECT_TIMEOUT_MS} ms.
     * @throws ErrnoException {@code ETIMEDOUT} when the limit passes, else as {@link #connect(InetSocketAddress)}.
     */
    public void connect(final InetSocketAddress destination, final long timeoutMs) throws ErrnoException
    {
        connector.connect(destination, timeoutMs);
    }

    /**
     * Creates the endpoint and the data path and posts the receives, before the connection data goes out;
     * under this socket's monitor, so that a close either releases them or was seen here first.
     *
     * @throws ErrnoException {@code EBADF} once closed, or the provider's failure.
     */
    synchronized void createEndpoint() throws ErrnoException
    {
        if (closed.get())
        {
            throw new ErrnoException(Errno.EBADF, "closed while connecting");
        }
        ep = options.createEndpoint(cmId);
        data = new DataPath(this, ep, config.pollingTimeUs(), config.wakeUpIntervalMs());
        // Completion events (and wakeups) may change readiness: tell whoever polls this socket.
        ep.channel.readyListener(readiness::signal);
        final int rc = data.progress.postInitialReceives();
        if (0 != rc)
        {
            throw new ErrnoException(rc, "post receives", null);
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
        final DataPath d = data;
        final int early = notWritable(s, d);
        return 0 != early ? early : d.send(src, offset, length, nonblock(flags));
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
        final DataPath d = data;
        final int early = notWritable(s, d);
        return 0 != early ? early : d.sendv(iov, count, length, nonblock(flags));
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
        final int s = state;
        final DataPath d = data;
        final int early = notReadable(s, d);
        return 0 != early ? early : d.recvv(iov, count, length, flags, nonblock(flags));
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
        return recv(dst, offset, length, flags, 0);
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
        final int s = state;
        final DataPath d = data;
        final int early = notReadable(s, d);
        if (0 != early)
        {
            return early;
        }
        final long deadlineNs = timeoutMs <= 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        return d.recv(dst, offset, length, flags, nonblock(flags), deadlineNs);
    }

    /**
     * {@code riomap} (wire-protocol doc section 3; the decisions where C has quirks are in {@link IoMaps}):
     * registers {@code buffer} and, for {@link #PROT_WRITE}, publishes it to the peer before the next send or
     * riowrite (at once when there is room). The peer may write into it once data sent after this call has
     * reached it.
     *
     * @param buffer native memory the socket's device can reach (shared, global or automatic arena); keep
     *               it alive until {@link #riounmap}.
     * @param owner  kept reachable while mapped (e.g. the direct buffer behind {@code buffer}), or null.
     * @param prot   {@link #PROT_WRITE} or {@link #PROT_NONE}.
     * @param offset the offset the peer writes at, or -1 for the buffer's address.
     * @return the offset.
     * @throws ErrnoException {@code EINVAL} before connecting, for another prot, or for a heap, read-only,
     *                        empty or 4 GiB buffer; {@code ENOMEM} when the peer's RDMA_IOMAPSIZE slots are
     *                        all used (or it has none); {@code EBADF} once closed.
     */
    public long riomap(final MemorySegment buffer, final Object owner, final int prot, final long offset)
        throws ErrnoException
    {
        final DataPath d = data;
        if (null == d || 0 == (state & (CONNECTED | DISCONNECTED | ERROR)))
        {
            throw new ErrnoException(0 != (state & CLOSED) ? Errno.EBADF : Errno.EINVAL, "riomap: not connected");
        }
        return d.iomaps.map(buffer, owner, prot, offset);
    }

    /**
     * {@code riounmap}: deregisters the mapping of exactly {@code buffer} (its address and length); unlike C,
     * the peer is told (see {@link IoMaps}). When it returns, the peer can no longer write into the buffer.
     *
     * @param buffer the memory mapped.
     * @return 0, or a negative errno: {@code EINVAL} when nothing maps it, {@code EBADF} once closed.
     */
    public int riounmap(final MemorySegment buffer)
    {
        final DataPath d = data;
        if (0 != (state & CLOSED))
        {
            return -Errno.EBADF.code();
        }
        return null == d ? -Errno.EINVAL.code() : d.iomaps.unmap(buffer);
    }

    /**
     * {@code riowrite}: RDMA-writes bytes straight into the peer's mapped memory at {@code offset}, without
     * telling it; a send that follows arrives after them.
     *
     * @param src       the bytes (heap or native).
     * @param srcOffset where they start in {@code src}.
     * @param count     how many.
     * @param offset    the peer's offset, as its riomap returned it.
     * @param flags     MSG_DONTWAIT.
     * @return bytes written (fewer when a nonblocking call would wait), or a negative errno: {@code EFAULT}
     *         when the peer has not mapped all of {@code [offset, offset + count)} (nothing is written),
     *         {@code EAGAIN}, {@code EPIPE}, {@code ECONNRESET}, {@code EBADF}.
     */
    public long riowrite(final MemorySegment src, final long srcOffset, final long count, final long offset,
        final int flags)
    {
        final int s = state;
        final DataPath d = data;
        final int early = notWritable(s, d);
        return 0 != early ? early : d.write(src, srcOffset, count, offset, nonblock(flags));
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

    /** @return 0 when a send may go to {@code d}, else a negative errno: as {@link #notReady}, or ENOTCONN. */
    private static int notWritable(final int s, final DataPath d)
    {
        final int early = notReady(s);
        if (0 != early)
        {
            return early;
        }
        return null == d || 0 == (s & (CONNECTED | DISCONNECTED | ERROR)) ? -Errno.ENOTCONN.code() : 0;
    }

    /** @return 0 when a receive may go to {@code d}, else a negative errno: as {@link #notReady}, or ENOTCONN. */
    private static int notReadable(final int s, final DataPath d)
    {
        final int early = notReady(s);
        if (0 != early)
        {
            return early;
        }
        return null == d ? -Errno.ENOTCONN.code() : 0;
    }

    /** @return whether this call must not wait: O_NONBLOCK, or MSG_DONTWAIT in {@code flags}. */
    private boolean nonblock(final int flags)
    {
        return nonblocking || 0 != (flags & DataPath.MSG_DONTWAIT);
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
        return readiness.poll(false);
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
        return readiness.poll(true);
    }

    /**
     * Starts waking {@code waiter} whenever this socket's readiness may change (see {@link PollWaiter});
     * allocation-free. Watching again is harmless.
     *
     * @param waiter the poller.
     */
    public void watch(final PollWaiter waiter)
    {
        readiness.watch(waiter);
    }

    /**
     * Stops waking {@code waiter}. A waiter that shares its bit leaves it set: the others may still watch.
     *
     * @param waiter the poller.
     */
    public void unwatch(final PollWaiter waiter)
    {
        readiness.unwatch(waiter);
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
        if (0 != (state & CLOSED))
        {
            // rclose freed it (C: EBADF); the test below would answer 0 as for a disconnected socket.
            return -Errno.EBADF.code();
        }
        final DataPath d = data;
        if (null == d || 0 == (state & CONNECTED))
        {
            return 0 != (state & (DISCONNECTED | ERROR)) ? 0 : -Errno.ENOTCONN.code();
        }
        return d.control.shutdown(how, deadlineNs);
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
        keepalive.stop();
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
        readiness.signal();
        cmChannel.readyListener(null);
        cmChannel.wakeup();
        final DataPath d = data;
        if (null != d)
        {
            d.wakeup();
            d.sendLock().lock();
            d.recvLock().lock();
            d.stateLock().lock();
            // Again under the state lock: a racing call's read-modify-write of the state (a shutdown, a
            // failure) may have overwritten the first, and a closed socket must stay closed.
            state = CLOSED;
        }
        try
        {
            if (null != d)
            {
                d.progress.acknowledgePendingEvents();
                d.markReleased();
                d.iomaps.releaseAll();
            }
            closeQuietly(cmId);
            if (null != ep)
            {
                ep.close();
            }
            closeQuietly(cmChannel);
            acceptor.closeAll();
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

    @Override
    public String toString()
    {
        return "rsocket[" + RsocketState.toString(state) + " " + cmId.localAddress() + " -> " + cmId.peerAddress() +
            "]";
    }

    static void closeQuietly(final AutoCloseable c)
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
