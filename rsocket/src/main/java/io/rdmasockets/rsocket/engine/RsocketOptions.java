package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmId;

import static io.rdmasockets.rsocket.engine.RsocketState.CLOSED;
import static io.rdmasockets.rsocket.engine.RsocketState.OPENING;

/**
 * The options of one stream rsocket with C's {@code rsetsockopt}/{@code rgetsockopt} semantics
 * (wire-protocol doc section 6.2), keyed by C's levels and names so that the C-style facade passes them
 * through and the {@code java.net}-style API maps its {@code SocketOption}s onto the same table.
 *
 * <ul>
 * <li>{@code SO_SNDBUF}/{@code SO_RCVBUF} size the rings to twice the value, as C; once the buffers exist
 *     (connecting, connected) a new value is accepted and ignored, as C. A listener passes them on.</li>
 * <li>{@code SOL_RDMA} options are refused with {@code EINVAL} once connecting ({@code state >= rs_opening}),
 *     and allowed on bound and listening sockets, which pass them on to the sockets they accept.</li>
 * <li>{@code SO_LINGER}, {@code SO_OOBINLINE}, {@code TCP_NODELAY} are flags only: rsocket never delays a
 *     send and {@code rclose} drains sends the same way whatever linger says. C reports linger as on
 *     (l_linger 0) until switched off.</li>
 * <li>{@code IPV6_V6ONLY} ({@code RDMA_OPTION_ID_AFONLY} in C) is taken while unbound or bound, as the kernel
 *     takes it; with it on, an IPv4 (or IPv4-mapped) address is refused by bind ({@code EINVAL}) and connect
 *     ({@code ENETUNREACH}), and a listener refuses IPv4 peers, which see {@code ECONNREFUSED}.</li>
 * <li>{@code TCP_MAXSEG} reads the port's active MTU once the socket has a device (C: the path MTU), 2048
 *     before; setting it is accepted and ignored, as C.</li>
 * <li>{@code RDMA_ROUTE} stores {@code struct ibv_path_data} records until connecting, as C. The verbs SPI
 *     has no {@code rdma_set_option(RDMA_OPTION_IB_PATH)} yet, so the route is still resolved.</li>
 * </ul>
 * {@code IP_TOS} and {@code TCP_INFO} are not supported ({@code ENOTSUP}): the verbs SPI cannot set a
 * connection id's type of service.
 *
 * <p><b>Note:</b> thread safe.
 */
public final class RsocketOptions
{
    /** {@code IPPROTO_IP}. */
    public static final int IPPROTO_IP = 0;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = 6;
    /** {@code IPPROTO_IPV6}. */
    public static final int IPPROTO_IPV6 = 41;
    /** {@code SOL_RDMA} of {@code <rdma/rsocket.h>}. */
    public static final int SOL_RDMA = 0x10000;

    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = 2;
    /** {@code SO_ERROR}. */
    public static final int SO_ERROR = 4;
    /** {@code SO_BROADCAST}. */
    public static final int SO_BROADCAST = 6;
    /** {@code SO_SNDBUF}. */
    public static final int SO_SNDBUF = 7;
    /** {@code SO_RCVBUF}. */
    public static final int SO_RCVBUF = 8;
    /** {@code SO_KEEPALIVE}. */
    public static final int SO_KEEPALIVE = 9;
    /** {@code SO_OOBINLINE}. */
    public static final int SO_OOBINLINE = 10;
    /** {@code SO_LINGER}. */
    public static final int SO_LINGER = 13;
    /** {@code TCP_NODELAY}. */
    public static final int TCP_NODELAY = 1;
    /** {@code TCP_MAXSEG}. */
    public static final int TCP_MAXSEG = 2;
    /** {@code TCP_KEEPIDLE}. */
    public static final int TCP_KEEPIDLE = 4;
    /** {@code TCP_KEEPINTVL}. */
    public static final int TCP_KEEPINTVL = 5;
    /** {@code TCP_KEEPCNT}. */
    public static final int TCP_KEEPCNT = 6;
    /** {@code IPV6_V6ONLY}. */
    public static final int IPV6_V6ONLY = 26;
    /** {@code RDMA_SQSIZE}. */
    public static final int RDMA_SQSIZE = 0;
    /** {@code RDMA_RQSIZE}. */
    public static final int RDMA_RQSIZE = 1;
    /** {@code RDMA_INLINE}. */
    public static final int RDMA_INLINE = 2;
    /** {@code RDMA_IOMAPSIZE}. */
    public static final int RDMA_IOMAPSIZE = 3;
    /** {@code RDMA_ROUTE}. */
    public static final int RDMA_ROUTE = 4;

    /** {@code sizeof(struct ibv_path_data)}: an RDMA_ROUTE value is a whole number of them. */
    public static final int PATH_DATA_LENGTH = 72;
    /** The largest ring a buffer option asks for; Linux caps at its rmem_max/wmem_max likewise. */
    public static final int MAX_RING = 1 << 30;
    /** {@code TCP_MAXSEG} before the socket has a device, as C without path records. */
    private static final int MAXSEG_DEFAULT = 2048;

    private final StreamRsocket socket;

    // Guarded by this: read by the connect path when it sizes the endpoint.
    int sbufSize;
    int rbufSize;
    int sqSize;
    int rqSize;
    int sqInline;
    int iomapSize;
    /** The buffers exist: SO_SNDBUF and SO_RCVBUF no longer apply (C's {@code rs->sbuf}). */
    boolean buffersFixed;

    private boolean reuseAddress;
    private boolean oobInline;
    private boolean noDelay;
    private volatile boolean v6Only;
    /** -1 off, else the seconds set; C's default is on. */
    private int lingerSeconds;
    private byte[] route;

    RsocketOptions(final StreamRsocket socket, final RsocketConfig config, final RsocketOptions inheritFrom)
    {
        this.socket = socket;
        if (null == inheritFrom)
        {
            sbufSize = config.wmemDefault();
            rbufSize = config.memDefault();
            sqSize = config.sqSizeDefault();
            rqSize = config.rqSizeDefault();
            sqInline = config.inlineDefault();
            iomapSize = config.iomapSize();
        }
        else
        {
            // As C's rs_alloc: sizes pass to an accepted socket, flags do not.
            synchronized (inheritFrom)
            {
                sbufSize = inheritFrom.sbufSize;
                rbufSize = inheritFrom.rbufSize;
                sqSize = inheritFrom.sqSize;
                rqSize = inheritFrom.rqSize;
                sqInline = inheritFrom.sqInline;
                iomapSize = inheritFrom.iomapSize;
            }
        }
    }

    /**
     * {@link StreamRsocket#sizes}: buffer and queue sizes, before connecting.
     *
     * @param sbuf    send ring bytes, or -1 to keep.
     * @param rbuf    receive ring bytes, or -1 to keep.
     * @param sq      send queue size, or -1.
     * @param rq      receive queue size, or -1.
     * @param inline  inline bytes, or -1.
     * @param iomap   iomap entries, or -1.
     * @throws ErrnoException {@code EINVAL} once connecting.
     */
    synchronized void sizes(final int sbuf, final int rbuf, final int sq, final int rq, final int inline,
        final int iomap) throws ErrnoException
    {
        if (socket.sizesFixed())
        {
            throw new ErrnoException(Errno.EINVAL, "buffer and queue sizes are fixed once connecting");
        }
        sbufSize = sbuf < 0 ? sbufSize : Math.max(sbuf, 2 * SendWindow.SNDLOWAT);
        rbufSize = rbuf < 0 ? rbufSize : Math.max(rbuf & ~1, 2);
        sqSize = sq < 0 ? sqSize : Math.min(sq, Endpoint.QP_MAX_SIZE);
        rqSize = rq < 0 ? rqSize : Math.min(rq, Endpoint.QP_MAX_SIZE);
        sqInline = inline < 0 ? sqInline : Math.min(inline, Endpoint.QP_MAX_SIZE);
        iomapSize = iomap < 0 ? iomapSize : RsocketConfig.roundIomapSize(Math.min(iomap, 0xFFFF));
    }

    /**
     * Creates a connection's endpoint with these sizes. From now on the sizes reported are those granted,
     * as C's {@code rs_set_qp_size} and the provider leave them, and the buffer options no longer apply.
     *
     * @param cmId the connection's id.
     * @return the endpoint.
     * @throws VerbsException when the provider refuses.
     */
    synchronized Endpoint createEndpoint(final CmId cmId) throws VerbsException
    {
        final Endpoint ep = Endpoint.create(cmId, sqSize, rqSize, sqInline, sbufSize, rbufSize, iomapSize);
        sqSize = ep.sqSize;
        rqSize = ep.rqSize;
        sqInline = ep.sqInline;
        buffersFixed = true;
        return ep;
    }

    /**
     * @param ep the connection's endpoint.
     * @return this side's connection data ({@code rs_format_conn_data}).
     */
    synchronized byte[] connData(final Endpoint ep)
    {
        return ConnData.format(rqSize, iomapSize, ep.targetBuffer.address(), ep.targetMr.rkey(),
            ep.rbuf.address(), ep.rmr.rkey(), rbufSize >> 1);
    }

    /**
     * {@code rsetsockopt} for an {@code int} value (flags: any non-zero value is on).
     *
     * @param level C's level, e.g. {@link #SOL_SOCKET}.
     * @param name  C's option name at that level.
     * @param value the value; sizes are read as C's {@code uint32_t}.
     * @return 0, or a negative errno: {@code ENOTSUP} for an option rsocket does not have, {@code EINVAL}
     *         for a {@code SOL_RDMA} option once connecting or a value out of range, or what the connection
     *         manager refused.
     */
    public int set(final int level, final int name, final int value)
    {
        try
        {
            return switch (level)
            {
                case SOL_SOCKET -> setSocket(name, value);
                case IPPROTO_TCP -> setTcp(name, value);
                case IPPROTO_IPV6 -> IPV6_V6ONLY == name ? setV6Only(0 != value) : -Errno.ENOTSUP.code();
                case SOL_RDMA -> setRdma(name, value);
                default -> -Errno.ENOTSUP.code();
            };
        }
        catch (final ErrnoException e)
        {
            return -e.errno();
        }
    }

    private int setSocket(final int name, final int value) throws ErrnoException
    {
        switch (name)
        {
            case SO_REUSEADDR ->
            {
                socket.reuseAddress(0 != value);
                synchronized (this)
                {
                    reuseAddress = 0 != value;
                }
            }
            case SO_SNDBUF -> sendBuffer(value);
            case SO_RCVBUF -> receiveBuffer(value);
            case SO_KEEPALIVE -> socket.keepAlive(0 != value);
            case SO_OOBINLINE ->
            {
                synchronized (this)
                {
                    oobInline = 0 != value;
                }
            }
            default ->
            {
                // SO_LINGER takes a struct (linger(int, int)); SO_ERROR is read-only.
                return -Errno.ENOTSUP.code();
            }
        }
        return 0;
    }

    private synchronized void sendBuffer(final int value)
    {
        if (!buffersFixed)
        {
            sbufSize = ring(value);
        }
        if (sbufSize < SendWindow.SNDLOWAT)
        {
            sbufSize = SendWindow.SNDLOWAT << 1;
        }
    }

    private synchronized void receiveBuffer(final int value)
    {
        if (!buffersFixed)
        {
            // At least one byte per half: C would make a ring of 0 and fail later.
            rbufSize = Math.max(ring(value) & ~1, 2);
        }
    }

    /** C's {@code (uint32_t)value << 1}, capped instead of wrapping. */
    private static int ring(final int value)
    {
        return (int)Math.min(Integer.toUnsignedLong(value) << 1, MAX_RING);
    }

    private int setTcp(final int name, final int value) throws ErrnoException
    {
        switch (name)
        {
            case TCP_NODELAY ->
            {
                synchronized (this)
                {
                    noDelay = 0 != value;
                }
            }
            case TCP_KEEPIDLE -> socket.keepAliveIdleSeconds(value);
            case TCP_KEEPINTVL, TCP_KEEPCNT, TCP_MAXSEG ->
            {
                // Accepted and ignored, as C: a reliable connection has no probes to count, no segment size.
            }
            default ->
            {
                return -Errno.ENOTSUP.code();
            }
        }
        return 0;
    }

    private synchronized int setV6Only(final boolean on)
    {
        final int s = socket.state;
        if (RsocketState.INIT != s && RsocketState.BOUND != s)
        {
            // The kernel takes RDMA_OPTION_ID_AFONLY on an idle or bound id only.
            return -Errno.EINVAL.code();
        }
        v6Only = on;
        return 0;
    }

    private synchronized int setRdma(final int name, final int value)
    {
        if (socket.state >= OPENING)
        {
            return -Errno.EINVAL.code();
        }
        switch (name)
        {
            case RDMA_SQSIZE -> sqSize = queueSize(value);
            case RDMA_RQSIZE -> rqSize = queueSize(value);
            case RDMA_INLINE -> sqInline = queueSize(value);
            case RDMA_IOMAPSIZE ->
            {
                if (value < 0)
                {
                    return -Errno.EINVAL.code();
                }
                iomapSize = RsocketConfig.roundIomapSize(Math.min(value, 0xFFFF));
            }
            default ->
            {
                // RDMA_ROUTE is a blob: route(byte[]).
                return -Errno.ENOTSUP.code();
            }
        }
        return 0;
    }

    /** C's {@code min_t(uint32_t, value, RS_QP_MAX_SIZE)}. */
    private static int queueSize(final int value)
    {
        return Integer.compareUnsigned(value, Endpoint.QP_MAX_SIZE) > 0 ? Endpoint.QP_MAX_SIZE : value;
    }

    /**
     * {@code rgetsockopt} for an {@code int} value.
     *
     * @param level C's level.
     * @param name  C's option name.
     * @return the value (never negative), or a negative errno: {@code ENOTSUP} for an unknown option.
     *         {@code SO_ERROR} returns and clears the pending error.
     */
    public int get(final int level, final int name)
    {
        return switch (level)
        {
            case SOL_SOCKET -> getSocket(name);
            case IPPROTO_TCP -> getTcp(name);
            case IPPROTO_IPV6 -> IPV6_V6ONLY == name ? (v6Only ? 1 : 0) : -Errno.ENOTSUP.code();
            case SOL_RDMA -> getRdma(name);
            default -> -Errno.ENOTSUP.code();
        };
    }

    private int getSocket(final int name)
    {
        synchronized (this)
        {
            switch (name)
            {
                case SO_REUSEADDR:
                    return reuseAddress ? 1 : 0;
                case SO_OOBINLINE:
                    return oobInline ? 1 : 0;
                case SO_SNDBUF:
                    return sbufSize;
                case SO_RCVBUF:
                    return rbufSize;
                case SO_BROADCAST:
                    return 0;
                default:
                    break;
            }
        }
        return switch (name)
        {
            case SO_KEEPALIVE -> socket.keepAlive() ? 1 : 0;
            case SO_ERROR -> socket.takeError();
            default -> -Errno.ENOTSUP.code();
        };
    }

    private int getTcp(final int name)
    {
        return switch (name)
        {
            case TCP_NODELAY ->
            {
                synchronized (this)
                {
                    yield noDelay ? 1 : 0;
                }
            }
            case TCP_MAXSEG ->
            {
                final int mtu = activeMtu();
                yield mtu > 0 ? mtu : MAXSEG_DEFAULT;
            }
            case TCP_KEEPIDLE -> socket.keepalive.reportedIdleSeconds();
            case TCP_KEEPINTVL, TCP_KEEPCNT -> 1;
            default -> -Errno.ENOTSUP.code();
        };
    }

    /** @return the active MTU of the device port the connection uses, or 0 before it has one. */
    private int activeMtu()
    {
        final Endpoint e = socket.ep;
        if (null == e || 0 != (socket.state & CLOSED))
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

    private synchronized int getRdma(final int name)
    {
        return switch (name)
        {
            case RDMA_SQSIZE -> sqSize;
            case RDMA_RQSIZE -> rqSize;
            case RDMA_INLINE -> sqInline;
            case RDMA_IOMAPSIZE -> iomapSize;
            default -> -Errno.ENOTSUP.code();
        };
    }

    /**
     * {@code SO_LINGER}: a flag only (see the class comment).
     *
     * @param seconds the linger time, or a negative value for off.
     */
    public synchronized void linger(final int seconds)
    {
        lingerSeconds = seconds < 0 ? -1 : Math.min(seconds, 0xFFFF);
    }

    /** @return -1 when off, else the seconds set (0 by default: C reports linger as on). */
    public synchronized int linger()
    {
        return lingerSeconds;
    }

    /**
     * {@code rsetsockopt(SOL_RDMA, RDMA_ROUTE)}: path records to use instead of route resolution.
     *
     * @param pathData whole {@code struct ibv_path_data} records ({@value #PATH_DATA_LENGTH} bytes each); copied.
     * @return 0, or {@code -EINVAL} once connecting or for a length that is not a whole number of records.
     */
    public synchronized int route(final byte[] pathData)
    {
        if (socket.state >= OPENING || 0 == pathData.length || 0 != pathData.length % PATH_DATA_LENGTH)
        {
            return -Errno.EINVAL.code();
        }
        route = pathData.clone();
        return 0;
    }

    /**
     * @return a copy of the path records set with {@link #route(byte[])} and not yet used by a connect, or an
     *         empty array: the verbs SPI exposes no resolved path records (C returns those then).
     */
    public synchronized byte[] route()
    {
        return null == route ? new byte[0] : route.clone();
    }

    /** @return whether IPV6_V6ONLY is on. */
    public boolean v6Only()
    {
        return v6Only;
    }

    /** The connect starts: C applies and frees the route then. */
    synchronized void routeUsed()
    {
        route = null;
    }
}
