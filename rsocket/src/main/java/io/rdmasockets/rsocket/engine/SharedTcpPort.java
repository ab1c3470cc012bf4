package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.verbs.cm.PlainTcpConnection;
import io.rdmasockets.verbs.support.PlatformSelectorProvider;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Plain TCP clients on an rsocket listener's port, for a server that takes both kinds (as IBM JSOR could).
 * How the two kinds meet depends on the provider's port space:
 * <ul>
 * <li>its connection-manager ports are the host's TCP ports (the tcp provider): one TCP port carries
 *     both, and the provider tells a plain client from a connection request
 *     ({@link io.rdmasockets.verbs.cm.CmId#shareTcpPort});</li>
 * <li>its ports form their own space (RDMA hardware: the RDMA CM port space is separate from TCP's):
 *     a kernel socket listens on the same address and TCP port, and a virtual thread accepts from it.</li>
 * </ul>
 * Either way plain connections wait in the listener's accept queue, at most {@code backlog} of them; more
 * are closed, as a full backlog turns clients away.
 */
final class SharedTcpPort
{
    private final int backlog;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile ServerSocketChannel server;

    /** @param backlog plain connections that may wait for accept. */
    SharedTcpPort(final int backlog)
    {
        this.backlog = backlog <= 0 ? 1024 : backlog;
    }

    /**
     * Starts taking plain clients on the listening socket's port.
     *
     * @param socket the listener, bound.
     * @param sink   receives each plain connection; never blocks.
     * @throws ErrnoException e.g. {@code EADDRINUSE} when another socket holds the TCP port.
     */
    void start(final StreamRsocket socket, final Consumer<PlainTcpConnection> sink) throws ErrnoException
    {
        if (socket.cmId.shareTcpPort(sink))
        {
            return;
        }
        final InetSocketAddress local = socket.localAddress();
        ServerSocketChannel s = null;
        try
        {
            s = PlatformSelectorProvider.get().openServerSocketChannel();
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            s.bind(local, backlog);
        }
        catch (final IOException e)
        {
            closeQuietly(s);
            final Errno errno = e instanceof BindException && String.valueOf(e.getMessage()).contains("in use") ?
                Errno.EADDRINUSE : Errno.EADDRNOTAVAIL;
            throw new ErrnoException(errno, "listen for plain TCP clients on " + local + ": " + e.getMessage());
        }
        server = s;
        final ServerSocketChannel accepting = s;
        Thread.ofVirtual().name("rsocket-tcp-accept-" + local.getPort()).start(() -> acceptLoop(accepting, sink));
    }

    private static void acceptLoop(final ServerSocketChannel server, final Consumer<PlainTcpConnection> sink)
    {
        final byte[] none = new byte[0];
        while (server.isOpen())
        {
            try
            {
                final SocketChannel channel = server.accept();
                sink.accept(new PlainTcpConnection(channel, none));
            }
            catch (final IOException e)
            {
                if (!server.isOpen())
                {
                    return;
                }
                // A client that reset before accept: the listening socket carries on (as the JDK's accept).
            }
        }
    }

    /** @return whether one more plain connection may wait; counts it. */
    boolean admit()
    {
        if (queued.incrementAndGet() > backlog)
        {
            queued.decrementAndGet();
            return false;
        }
        return true;
    }

    /** An accept took a plain connection. */
    void taken()
    {
        queued.decrementAndGet();
    }

    /** Stops taking plain clients (the listener closes). */
    void close()
    {
        closeQuietly(server);
    }

    static void closeQuietly(final PlainTcpConnection connection)
    {
        closeQuietly(connection.channel());
    }

    private static void closeQuietly(final java.nio.channels.Channel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignored)
            {
                // Nothing more to release.
            }
        }
    }
}
