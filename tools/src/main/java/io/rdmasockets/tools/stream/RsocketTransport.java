package io.rdmasockets.tools.stream;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.verbs.VerbsProvider;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * rstream over rsockets: the engine's {@link StreamRsocket} on a verbs provider, with the process's
 * {@code /etc/rdma/rsocket} defaults as C reads them on its first {@code rsocket()}. Its connections are
 * {@link IoConnection}s, for riostream.
 */
public final class RsocketTransport implements Transport
{
    private final VerbsProvider provider;
    private final RsocketConfig config;
    private final int iomapSize;

    /** @param provider the verbs provider the sockets run on. */
    public RsocketTransport(final VerbsProvider provider)
    {
        this(provider, -1);
    }

    /**
     * @param provider  the verbs provider the sockets run on.
     * @param iomapSize RDMA_IOMAPSIZE for every socket (riostream sets 1), or -1 for the default.
     */
    public RsocketTransport(final VerbsProvider provider, final int iomapSize)
    {
        this.provider = provider;
        this.config = RsocketConfig.load();
        this.iomapSize = iomapSize;
    }

    @Override
    public String name()
    {
        return "rsocket (" + provider.name() + ")";
    }

    @Override
    public Listener listen(final InetSocketAddress local) throws IOException
    {
        final StreamRsocket rs = StreamRsocket.open(provider, config);
        try
        {
            rs.reuseAddress(true);
            rs.bind(local);
            rs.listen(1);
            return new RsocketListener(rs);
        }
        catch (final ErrnoException e)
        {
            rs.close();
            throw new IOException("rlisten on " + local + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Connection connect(final InetSocketAddress remote, final InetSocketAddress local, final Options options,
        final long timeoutMs) throws IOException
    {
        final StreamRsocket rs = StreamRsocket.open(provider, config);
        try
        {
            presize(rs, options);
            keepalive(rs, options);
            if (null != local)
            {
                rs.bind(local);
            }
            rs.connect(remote, timeoutMs);
            rs.nonblocking(options.nonblocking());
            return new RsocketConnection(rs, receiveTimeout(options));
        }
        catch (final ErrnoException e)
        {
            rs.close();
            throw new IOException("rconnect to " + remote + ": " + e.getMessage(), e);
        }
    }

    /**
     * SO_SNDBUF/SO_RCVBUF and RDMA_INLINE: fixed once connecting, so set on the listener (whose accepted
     * sockets inherit them) and on a client before it connects. C doubles the SO_*BUF value for the ring.
     */
    private void presize(final StreamRsocket rs, final Options options) throws ErrnoException
    {
        final int ring = (int)Math.min(2L * options.bufferSize(), Integer.MAX_VALUE);
        rs.sizes(ring, ring, -1, -1, options.inlineSize(), iomapSize);
    }

    /** A nonblocking receive returns at once: no deadline to compute per call. */
    private static int receiveTimeout(final Options options)
    {
        return options.nonblocking() ? 0 : options.receiveTimeoutMs();
    }

    private static void keepalive(final StreamRsocket rs, final Options options) throws ErrnoException
    {
        if (options.keepaliveSeconds() > 0)
        {
            rs.keepAlive(true);
            rs.keepAliveIdleSeconds(options.keepaliveSeconds());
        }
    }

    private final class RsocketListener implements Listener
    {
        private final StreamRsocket rs;

        RsocketListener(final StreamRsocket rs)
        {
            this.rs = rs;
        }

        @Override
        public Connection accept(final Options options, final long timeoutMs) throws IOException
        {
            // C busy-loops a nonblocking raccept; waiting in accept gives the same connection.
            StreamRsocket accepted = null;
            try
            {
                presize(rs, options);
                keepalive(rs, options);
                accepted = rs.accept(timeoutMs);
                keepalive(accepted, options);
                accepted.nonblocking(options.nonblocking());
                return new RsocketConnection(accepted, receiveTimeout(options));
            }
            catch (final ErrnoException e)
            {
                if (null != accepted)
                {
                    accepted.close();
                }
                throw new IOException("raccept on port " + port() + ": " +
                    (Errno.EAGAIN == e.errnoConstant() ?
                    "no client within " + timeoutMs + " ms" : e.getMessage()), e);
            }
        }

        @Override
        public int port()
        {
            return rs.localAddress().getPort();
        }

        @Override
        public void close()
        {
            rs.close();
        }
    }

    /** The data calls map one to one; the engine already speaks negative errno. */
    private record RsocketConnection(StreamRsocket rs, int receiveTimeoutMs) implements IoConnection
    {
        @Override
        public long riomap(final MemorySegment buffer, final long offset)
        {
            try
            {
                return rs.riomap(buffer, null, StreamRsocket.PROT_WRITE, offset);
            }
            catch (final ErrnoException e)
            {
                return -e.errno();
            }
        }

        @Override
        public int riounmap(final MemorySegment buffer)
        {
            return rs.riounmap(buffer);
        }

        @Override
        public long riowrite(final MemorySegment src, final long srcOffset, final long count, final long offset,
            final int flags)
        {
            return rs.riowrite(src, srcOffset, count, offset, flags);
        }

        @Override
        public int send(final MemorySegment buffer, final long offset, final int length, final int flags)
        {
            return rs.send(buffer, offset, length, flags);
        }

        @Override
        public int recv(final MemorySegment buffer, final long offset, final int length, final int flags)
        {
            return rs.recv(buffer, offset, length, flags, receiveTimeoutMs);
        }

        @Override
        public int poll(final int events)
        {
            return rs.pollEvents() & (events | POLLERR | POLLHUP);
        }

        @Override
        public void shutdown()
        {
            rs.shutdown(StreamRsocket.SHUT_RDWR);
        }

        @Override
        public void close()
        {
            rs.close();
        }
    }
}
