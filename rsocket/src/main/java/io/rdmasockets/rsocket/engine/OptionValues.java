package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.RdmaSocketException;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;

import static io.rdmasockets.rsocket.RdmaSocketOptions.*;

/**
 * Maps {@code java.net} socket options onto the engine's options ({@link RsocketOptions}, C's
 * {@code rsetsockopt}/{@code rgetsockopt}), which hold the values and C's rules. What is this API's own:
 * {@code IllegalArgumentException} for values {@code java.net} rejects, and {@code EINVAL} for buffer sizes
 * once connecting (C accepts and ignores them then; a Java caller is better told).
 */
public final class OptionValues
{
    public static final Set<SocketOption<?>> SOCKET_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
        StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_LINGER,
        StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE, RDMA_SQSIZE, RDMA_RQSIZE,
        RDMA_INLINE, RDMA_IOMAPSIZE, RDMA_ROUTE, SO_OOBINLINE, TCP_MAXSEG, IPV6_V6ONLY);
    public static final Set<SocketOption<?>> SERVER_OPTIONS = Set.of(StandardSocketOptions.SO_SNDBUF,
        StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR, RDMA_SQSIZE, RDMA_RQSIZE,
        RDMA_INLINE, RDMA_IOMAPSIZE, IPV6_V6ONLY);

    private static final String FIXED = ": buffer and queue sizes are fixed once connecting";

    private OptionValues()
    {
    }

    /**
     * @param rs        the engine socket.
     * @param supported the options this kind of socket takes.
     * @param name      the option.
     * @param value     its value.
     * @param <T>       the value type.
     * @throws IOException {@code EINVAL} for sizes once connecting, or what the engine refused.
     */
    public static <T> void set(final StreamRsocket rs, final Set<SocketOption<?>> supported, final SocketOption<T> name,
        final T value) throws IOException
    {
        check(supported, name);
        if (null == value)
        {
            throw new IllegalArgumentException("invalid value for " + name + ": null");
        }
        final RsocketOptions o = rs.options();
        final int rc;
        if (StandardSocketOptions.SO_LINGER == name)
        {
            // Negative means off, as java.net.
            o.linger((Integer)value);
            rc = 0;
        }
        else if (RDMA_ROUTE == name)
        {
            rc = o.route((byte[])value);
        }
        else
        {
            final int level = level(name);
            final int optname = optname(name);
            final int v = value instanceof Boolean b ? (b ? 1 : 0) : (Integer)value;
            if (StandardSocketOptions.SO_SNDBUF == name || StandardSocketOptions.SO_RCVBUF == name)
            {
                positive(name, v);
                if (rs.sizesFixed())
                {
                    throw new RdmaSocketException(Errno.EINVAL.code(), "setOption(" + name + ")" + FIXED);
                }
            }
            else if (RsocketOptions.SOL_RDMA == level)
            {
                notNegative(name, v);
            }
            rc = o.set(level, optname, v);
        }
        if (rc < 0)
        {
            final boolean fixed = -Errno.EINVAL.code() == rc && rs.sizesFixed() &&
                (RsocketOptions.SOL_RDMA == level(name) || RDMA_ROUTE == name);
            throw new RdmaSocketException(-rc, "setOption(" + name + ")" + (fixed ? FIXED : ""));
        }
    }

    /**
     * @param rs        the engine socket.
     * @param supported the options this kind of socket takes.
     * @param name      the option.
     * @param <T>       the value type.
     * @return its value; buffer sizes read back doubled, as from C's {@code rgetsockopt}.
     */
    @SuppressWarnings("unchecked")
    public static <T> T get(final StreamRsocket rs, final Set<SocketOption<?>> supported, final SocketOption<T> name)
    {
        check(supported, name);
        final RsocketOptions o = rs.options();
        if (StandardSocketOptions.SO_LINGER == name)
        {
            return (T)Integer.valueOf(o.linger());
        }
        if (RDMA_ROUTE == name)
        {
            return (T)o.route();
        }
        final int v = o.get(level(name), optname(name));
        if (v < 0)
        {
            // Every option in the sets is one the engine knows; this would be a mapping bug.
            throw new IllegalStateException(name + ": " + Errno.nameOf(-v));
        }
        return (T)(Boolean.class == name.type() ? Boolean.valueOf(0 != v) : Integer.valueOf(v));
    }

    private static int level(final SocketOption<?> name)
    {
        if (RDMA_SQSIZE == name || RDMA_RQSIZE == name || RDMA_INLINE == name || RDMA_IOMAPSIZE == name ||
            RDMA_ROUTE == name)
        {
            return RsocketOptions.SOL_RDMA;
        }
        if (StandardSocketOptions.TCP_NODELAY == name || TCP_MAXSEG == name)
        {
            return RsocketOptions.IPPROTO_TCP;
        }
        return IPV6_V6ONLY == name ? RsocketOptions.IPPROTO_IPV6 : RsocketOptions.SOL_SOCKET;
    }

    private static int optname(final SocketOption<?> name)
    {
        if (StandardSocketOptions.SO_SNDBUF == name)
        {
            return RsocketOptions.SO_SNDBUF;
        }
        if (StandardSocketOptions.SO_RCVBUF == name)
        {
            return RsocketOptions.SO_RCVBUF;
        }
        if (StandardSocketOptions.SO_REUSEADDR == name)
        {
            return RsocketOptions.SO_REUSEADDR;
        }
        if (StandardSocketOptions.SO_KEEPALIVE == name)
        {
            return RsocketOptions.SO_KEEPALIVE;
        }
        if (StandardSocketOptions.TCP_NODELAY == name)
        {
            return RsocketOptions.TCP_NODELAY;
        }
        if (SO_OOBINLINE == name)
        {
            return RsocketOptions.SO_OOBINLINE;
        }
        if (TCP_MAXSEG == name)
        {
            return RsocketOptions.TCP_MAXSEG;
        }
        if (IPV6_V6ONLY == name)
        {
            return RsocketOptions.IPV6_V6ONLY;
        }
        if (RDMA_SQSIZE == name)
        {
            return RsocketOptions.RDMA_SQSIZE;
        }
        if (RDMA_RQSIZE == name)
        {
            return RsocketOptions.RDMA_RQSIZE;
        }
        if (RDMA_INLINE == name)
        {
            return RsocketOptions.RDMA_INLINE;
        }
        return RsocketOptions.RDMA_IOMAPSIZE;
    }

    private static void check(final Set<SocketOption<?>> supported, final SocketOption<?> name)
    {
        if (!supported.contains(Objects.requireNonNull(name, "name")))
        {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
    }

    private static void positive(final SocketOption<?> name, final int v)
    {
        if (v <= 0)
        {
            throw new IllegalArgumentException("invalid value for " + name + ": " + v);
        }
    }

    private static void notNegative(final SocketOption<?> name, final int v)
    {
        if (v < 0)
        {
            throw new IllegalArgumentException("invalid value for " + name + ": " + v);
        }
    }
}
