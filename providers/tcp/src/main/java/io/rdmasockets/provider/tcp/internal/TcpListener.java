package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;
import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEvent;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The TCP server socket behind a bound id: bound at {@code bind} time (so EADDRINUSE and ephemeral
 * ports behave as in rdma_cm), accepting once the id listens. Accepted sockets become passive
 * {@link TcpConnection}s; their REQs are counted against the backlog until accepted or rejected.
 */
final class TcpListener extends ReactorHandler
{
    private final TcpCmId id;
    private final ServerSocketChannel server;
    private final AtomicBoolean closed = new AtomicBoolean();
    private Reactor reactor;
    private int backlog;
    private int pending;
    private volatile boolean listening;
    /** Where plain TCP clients go when the port is shared with them, or null. */
    private volatile java.util.function.Consumer<io.rdmasockets.verbs.cm.PlainTcpConnection> plainSink;

    private TcpListener(final TcpCmId id, final ServerSocketChannel server)
    {
        this.id = id;
        this.server = server;
    }

    /**
     * @param id      the owning id.
     * @param address where to bind.
     * @param reuse   SO_REUSEADDR, or null for the JDK default.
     * @return the bound listener.
     * @throws VerbsException EADDRINUSE, EADDRNOTAVAIL.
     */
    static TcpListener bind(final TcpCmId id, final InetSocketAddress address, final Boolean reuse) throws VerbsException
    {
        ServerSocketChannel server = null;
        try
        {
            server = PlatformSelectorProvider.get().openServerSocketChannel();
            if (null != reuse)
            {
                server.setOption(StandardSocketOptions.SO_REUSEADDR, reuse);
            }
            server.bind(address, 1024);
            server.configureBlocking(false);
            return new TcpListener(id, server);
        }
        catch (final IOException ex)
        {
            closeQuietly(server);
            final String message = String.valueOf(ex.getMessage());
            final Errno errno = ex instanceof BindException && message.contains("in use") ? Errno.EADDRINUSE :
                ex instanceof BindException ? Errno.EADDRNOTAVAIL : Errno.EINVAL;
            throw new VerbsException(errno, "bind " + address, ex);
        }
    }

    /** @param backlog pending requests allowed; 0 or less means a default of 1024. */
    void listen(final int backlog)
    {
        synchronized (this)
        {
            this.backlog = backlog <= 0 ? 1024 : backlog;
            if (listening)
            {
                return;
            }
            listening = true;
            reactor = TcpRuntime.instance().nextReactor();
        }
        reactor.acquire();
        reactor.schedule(this);
    }

    /** @param sink from now on, where accepted connections that are not connection requests go. */
    void sharePort(final java.util.function.Consumer<io.rdmasockets.verbs.cm.PlainTcpConnection> sink)
    {
        plainSink = sink;
    }

    boolean isListening()
    {
        return listening;
    }

    TcpCmId id()
    {
        return id;
    }

    int portSpaceCode()
    {
        return id.portSpace().code();
    }

    InetSocketAddress localAddress()
    {
        try
        {
            return (InetSocketAddress)server.getLocalAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    @Override
    void onScheduled()
    {
        if (closed.get())
        {
            return;
        }
        try
        {
            server.register(reactor.selector(), SelectionKey.OP_ACCEPT, this);
        }
        catch (final ClosedChannelException ex)
        {
            close();
        }
    }

    @Override
    void onReady(final int readyOps)
    {
        for (int i = 0; i < 64; i++)
        {
            SocketChannel channel = null;
            try
            {
                channel = server.accept();
                if (null == channel)
                {
                    return;
                }
                final java.util.function.Consumer<io.rdmasockets.verbs.cm.PlainTcpConnection> sink = plainSink;
                if (null == sink)
                {
                    TcpConnection.accepted(this, channel, null);
                }
                else
                {
                    PortSniffer.start(this, reactor, channel, sink);
                }
            }
            catch (final IOException ex)
            {
                closeQuietly(channel);
                if (!server.isOpen())
                {
                    return;
                }
            }
        }
    }

    @Override
    void onFailure(final Throwable cause)
    {
        // An accept that failed oddly: the listener itself stays usable.
    }

    /**
     * A valid REQ arrived (reactor thread).
     *
     * @param connection its connection.
     * @param portSpace  the requested port space.
     * @return the new child id, or null to reject (not listening, wrong port space, backlog full).
     */
    synchronized TcpCmId onRequest(final TcpConnection connection, final int portSpace)
    {
        if (!listening || closed.get() || portSpace != portSpaceCode() || pending >= backlog)
        {
            return null;
        }
        pending++;
        return id.newChild(connection);
    }

    synchronized void releaseBacklog()
    {
        pending--;
    }

    void deliver(final CmEvent event)
    {
        id.deliver(event);
    }

    /**
     * Stops listening and releases the port before returning, so a connect right after close is refused
     * as the kernel refuses it. The JDK closes a registered channel's socket only when its selector
     * flushes the cancelled key; until then the port would still accept. So the reactor flushes it now,
     * and a caller on another thread waits for that (at most {@value #CLOSE_FLUSH_TIMEOUT_MS} ms).
     */
    void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        closeQuietly(server);
        final Reactor r;
        synchronized (this)
        {
            r = listening ? reactor : null;
            listening = false;
        }
        if (null != r)
        {
            final KeyFlush flush = new KeyFlush(r);
            r.schedule(flush);
            if (!r.inReactor())
            {
                flush.await();
            }
            r.release();
        }
    }

    private static final long CLOSE_FLUSH_TIMEOUT_MS = 2000;

    /** Runs one non-blocking select on the reactor thread: the JDK then really closes cancelled channels. */
    private static final class KeyFlush extends ReactorHandler
    {
        private static final java.util.function.Consumer<SelectionKey> IGNORE = key -> { };
        private final Reactor reactor;
        private final java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);

        KeyFlush(final Reactor reactor)
        {
            this.reactor = reactor;
        }

        @Override
        void onScheduled()
        {
            try
            {
                // Readiness of other channels is level-triggered: the reactor's next select reports it again.
                reactor.selector().selectNow(IGNORE);
            }
            catch (final IOException | java.nio.channels.ClosedSelectorException ignored)
            {
                // A selector that is gone has released every channel already.
            }
            finally
            {
                done.countDown();
            }
        }

        @Override
        void onReady(final int readyOps)
        {
        }

        @Override
        void onFailure(final Throwable cause)
        {
            done.countDown();
        }

        void await()
        {
            try
            {
                done.await(CLOSE_FLUSH_TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(final java.nio.channels.Channel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // Best effort.
            }
        }
    }
}
