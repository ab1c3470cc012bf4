package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

import static io.rdmasockets.rsocket.RdmaSocketOptions.*;

/**
 * The option values of one socket: what the engine was told, as {@code rgetsockopt} reports it. Buffer
 * sizes read back doubled, as C (and Linux) store twice the value set.
 *
 * <p><b>Note:</b> callers serialise access.
 */
final class OptionValues
{
    static final Set<SocketOption<?>> SOCKET_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
        StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_LINGER,
        StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, RDMA_SQSIZE, RDMA_RQSIZE,
        RDMA_INLINE, RDMA_IOMAPSIZE);
    static final Set<SocketOption<?>> SERVER_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
        StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, RDMA_SQSIZE, RDMA_RQSIZE,
        RDMA_INLINE, RDMA_IOMAPSIZE);

    /** C's {@code RS_QP_MAX_SIZE}, the cap of the SOL_RDMA queue options. */
    private static final int QP_MAX_SIZE = 0xFFFE;

    private int sndBuf;
    private int rcvBuf;
    private int sqSize;
    private int rqSize;
    private int inline;
    private int iomapSize;
    private boolean reuseAddress;
    private int linger = -1;
    private boolean noDelay;
    private boolean keepAlive;

    OptionValues(final RsocketConfig config)
    {
        sndBuf = config.wmemDefault();
        rcvBuf = config.memDefault();
        sqSize = config.sqSizeDefault();
        rqSize = config.rqSizeDefault();
        inline = config.inlineDefault();
        iomapSize = config.iomapSize();
    }

    /** A listener's values for a socket it accepted (the engine copies the sizes itself). */
    OptionValues(final OptionValues from)
    {
        sndBuf = from.sndBuf;
        rcvBuf = from.rcvBuf;
        sqSize = from.sqSize;
        rqSize = from.rqSize;
        inline = from.inline;
        iomapSize = from.iomapSize;
        reuseAddress = from.reuseAddress;
        linger = from.linger;
        noDelay = from.noDelay;
        keepAlive = from.keepAlive;
    }

    /**
     * @param rs        the engine socket.
     * @param supported the options this kind of socket takes.
     * @param name      the option.
     * @param value     its value.
     * @param <T>       the value type.
     * @throws IOException {@code EINVAL} for sizes once connecting.
     */
    <T> void set(final StreamRsocket rs, final Set<SocketOption<?>> supported, final SocketOption<T> name,
        final T value) throws IOException
    {
        check(supported, name);
        if (null == value)
        {
            throw new IllegalArgumentException("invalid value for " + name + ": null");
        }
        try
        {
            if (StandardSocketOptions.SO_SNDBUF == name)
            {
                final int v = positive(name, value);
                final int ring = (int)Math.min(2L * v, Integer.MAX_VALUE);
                rs.sizes(ring, -1, -1, -1, -1, -1);
                sndBuf = Math.max(ring, 2 * RsocketConfig.SNDLOWAT);
            }
            else if (StandardSocketOptions.SO_RCVBUF == name)
            {
                final int v = positive(name, value);
                final int ring = (int)Math.min(2L * v, Integer.MAX_VALUE);
                rs.sizes(-1, ring, -1, -1, -1, -1);
                rcvBuf = Math.max(ring & ~1, 2);
            }
            else if (RDMA_SQSIZE == name)
            {
                final int v = notNegative(name, value);
                rs.sizes(-1, -1, v, -1, -1, -1);
                sqSize = Math.min(v, QP_MAX_SIZE);
            }
            else if (RDMA_RQSIZE == name)
            {
                final int v = notNegative(name, value);
                rs.sizes(-1, -1, -1, v, -1, -1);
                rqSize = Math.min(v, QP_MAX_SIZE);
            }
            else if (RDMA_INLINE == name)
            {
                final int v = notNegative(name, value);
                rs.sizes(-1, -1, -1, -1, v, -1);
                inline = Math.min(v, QP_MAX_SIZE);
            }
            else if (RDMA_IOMAPSIZE == name)
            {
                final int v = notNegative(name, value);
                rs.sizes(-1, -1, -1, -1, -1, v);
                iomapSize = RsocketConfig.roundIomapSize(Math.min(v, 0xFFFF));
            }
            else if (StandardSocketOptions.SO_REUSEADDR == name)
            {
                final boolean on = (Boolean)value;
                rs.reuseAddress(on);
                reuseAddress = on;
            }
            else if (StandardSocketOptions.SO_LINGER == name)
            {
                // A flag only, as C: rclose never waits; negative means off, as java.net.
                final int v = (Integer)value;
                linger = v < 0 ? -1 : Math.min(v, 0xFFFF);
            }
            else if (StandardSocketOptions.SO_KEEPALIVE == name)
            {
                // The engine probes an idle connection (section 4.3); allowed at any time, as C.
                final boolean on = (Boolean)value;
                rs.keepAlive(on);
                keepAlive = on;
            }
            else if (StandardSocketOptions.TCP_NODELAY == name)
            {
                // Accepted for portability: rsocket never delays a send.
                noDelay = (Boolean)value;
            }
        }
        catch (final ErrnoException e)
        {
            final boolean fixed = Errno.EINVAL.code() == e.errno();
            throw Errors.socket(e.errno(), "setOption(" + name + ")" +
                (fixed ? ": buffer and queue sizes are fixed once connecting" : ""), e);
        }
    }

    /**
     * @param supported the options this kind of socket takes.
     * @param name      the option.
     * @param <T>       the value type.
     * @return its value.
     */
    @SuppressWarnings("unchecked")
    <T> T get(final Set<SocketOption<?>> supported, final SocketOption<T> name)
    {
        check(supported, name);
        final Object v;
        if (StandardSocketOptions.SO_SNDBUF == name)
        {
            v = sndBuf;
        }
        else if (StandardSocketOptions.SO_RCVBUF == name)
        {
            v = rcvBuf;
        }
        else if (RDMA_SQSIZE == name)
        {
            v = sqSize;
        }
        else if (RDMA_RQSIZE == name)
        {
            v = rqSize;
        }
        else if (RDMA_INLINE == name)
        {
            v = inline;
        }
        else if (RDMA_IOMAPSIZE == name)
        {
            v = iomapSize;
        }
        else if (StandardSocketOptions.SO_REUSEADDR == name)
        {
            v = reuseAddress;
        }
        else if (StandardSocketOptions.SO_LINGER == name)
        {
            v = linger;
        }
        else if (StandardSocketOptions.SO_KEEPALIVE == name)
        {
            v = keepAlive;
        }
        else
        {
            v = noDelay;
        }
        return (T)v;
    }

    private static void check(final Set<SocketOption<?>> supported, final SocketOption<?> name)
    {
        if (!supported.contains(Objects.requireNonNull(name, "name")))
        {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    private static int positive(final SocketOption<?> name, final Object value)
    {
        final int v = (Integer)value;
        if (v <= 0)
        {
            throw new IllegalArgumentException("invalid value for " + name + ": " + v);
        }
        return v;
    }

    private static int notNegative(final SocketOption<?> name, final Object value)
    {
        final int v = (Integer)value;
        if (v < 0)
        {
            throw new IllegalArgumentException("invalid value for " + name + ": " + v);
        }
        return v;
    }
}
