package io.rdmasockets.nio.channels;

import io.rdmasockets.nio.Router;
import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.OptionValues;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.verbs.cm.PlainTcpConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ServerSocketChannel} that becomes an rsocket listener or a kernel one at bind, as its
 * {@link Router} decides for the local address ({@link Router.Operation#ACCEPT}); accepted sockets are
 * {@link RoutedSocketChannel}s of the same stack. An rsocket listener the router lets take plain TCP clients
 * too ({@link Router#acceptTcp}) accepts both kinds, in arrival order ({@link StreamRsocket#acceptAny}).
 */
final class RoutedServerSocketChannel extends ServerSocketChannel implements HybridChannel
{
    /** The JDK's default backlog. */
    private static final int DEFAULT_BACKLOG = 50;

    private final Stacks stacks;
    private final ProtocolFamily family;
    private final Object stateLock = new Object();
    private final ReentrantLock acceptLock = new ReentrantLock();
    private final KeyList keys = new KeyList();
    private final ChannelOptions options = new ChannelOptions(OptionValues.SERVER_OPTIONS,
        Set.of(java.net.StandardSocketOptions.SO_RCVBUF, java.net.StandardSocketOptions.SO_REUSEADDR));
    private volatile ServerSocketChannel kernel;
    private volatile StreamRsocket rs;
    private volatile boolean blocking = true;
    private ServerSocketAdaptor adaptor;

    RoutedServerSocketChannel(final SelectorProvider provider, final Stacks stacks, final ProtocolFamily family)
    {
        super(provider);
        this.stacks = stacks;
        this.family = family;
    }

    @Override
    public SelectableChannel kernel()
    {
        return kernel;
    }

    @Override
    public StreamRsocket rsocket()
    {
        return rs;
    }

    @Override
    public int readyOps(final int events, final int interest)
    {
        if (0 != (events & (StreamRsocket.POLLIN | StreamRsocket.POLLERR | StreamRsocket.POLLHUP)))
        {
            return SelectionKey.OP_ACCEPT & interest;
        }
        return 0;
    }

    @Override
    public void keyAdded(final HybridKey key)
    {
        keys.add(key);
    }

    @Override
    public void keyRemoved(final HybridKey key)
    {
        keys.remove(key);
    }

    private void ensureOpen() throws ClosedChannelException
    {
        if (!isOpen())
        {
            throw new ClosedChannelException();
        }
    }

    @Override
    public ServerSocketChannel bind(final SocketAddress local, final int backlog) throws IOException
    {
        synchronized (stateLock)
        {
            ensureOpen();
            if (null != kernel || null != rs)
            {
                throw new AlreadyBoundException();
            }
            final InetSocketAddress isa = null == local ? new InetSocketAddress(0) : RsocketSupport.check(local);
            final int queue = backlog < 1 ? DEFAULT_BACKLOG : backlog;
            if (stacks.router().useRsocket(Router.Operation.ACCEPT, isa))
            {
                final StreamRsocket s = stacks.openRsocket();
                try
                {
                    s.nonblocking(!blocking);
                    options.replayOn(s);
                    s.bind(isa);
                    s.listen(queue, stacks.router().acceptTcp(isa));
                }
                catch (final ErrnoException e)
                {
                    s.close();
                    throw RsocketSupport.exception(e, "bind to " + isa);
                }
                catch (final IOException | RuntimeException e)
                {
                    s.close();
                    throw e;
                }
                rs = s;
            }
            else
            {
                final ServerSocketChannel k = null == family ? stacks.kernel().openServerSocketChannel() :
                    stacks.kernel().openServerSocketChannel(family);
                try
                {
                    k.configureBlocking(blocking);
                    options.replayOn(k);
                    k.bind(isa, queue);
                }
                catch (final IOException | RuntimeException e)
                {
                    k.close();
                    throw e;
                }
                kernel = k;
            }
            Routing.decided(stacks.router(), Router.Operation.ACCEPT, isa, null == rs ? "kernel" :
                rs.sharesTcpPort() ? stacks.rsocketName() + " and plain TCP" : stacks.rsocketName());
            keys.rescan();
            return this;
        }
    }

    @Override
    public SocketChannel accept() throws IOException
    {
        return accept(0);
    }

    /**
     * @param timeoutMs for a blocking accept, how long to wait; 0 without limit (the adaptor's SO_TIMEOUT).
     * @return the accepted channel, or null when non-blocking and none is pending, or when the time ran out.
     * @throws IOException as {@link #accept()}.
     */
    SocketChannel accept(final int timeoutMs) throws IOException
    {
        final ServerSocketChannel k = kernel;
        if (null != k)
        {
            try
            {
                final SocketChannel accepted;
                if (timeoutMs > 0 && blocking)
                {
                    k.socket().setSoTimeout(timeoutMs);
                    try
                    {
                        accepted = k.socket().accept().getChannel();
                    }
                    catch (final java.net.SocketTimeoutException e)
                    {
                        return null;
                    }
                }
                else
                {
                    accepted = k.accept();
                }
                return null == accepted ? null : new RoutedSocketChannel(provider(), stacks, accepted);
            }
            catch (final AsynchronousCloseException e)
            {
                close();
                throw e;
            }
        }
        acceptLock.lock();
        try
        {
            ensureOpen();
            final StreamRsocket s = rs;
            if (null == s)
            {
                throw new NotYetBoundException();
            }
            boolean wait = blocking;
            Object accepted = null;
            try
            {
                if (wait)
                {
                    begin();
                }
                accepted = s.sharesTcpPort() ? s.acceptAny(wait ? timeoutMs : 0) : s.accept(wait ? timeoutMs : 0);
            }
            catch (final ErrnoException e)
            {
                if (Errno.EAGAIN.code() == e.errno() && (!wait || timeoutMs > 0))
                {
                    if (wait)
                    {
                        end(true);
                        wait = false;
                    }
                    return null;
                }
                if (Errno.EINTR.code() == e.errno())
                {
                    // The wait saw the interrupt before the interruptor closed the channel: finish its work.
                    close();
                    if (wait)
                    {
                        wait = false;
                        end(false);
                    }
                    throw new java.nio.channels.ClosedByInterruptException();
                }
                if (isOpen())
                {
                    throw RsocketSupport.exception(e, "accept");
                }
            }
            finally
            {
                if (wait)
                {
                    end(null != accepted);
                }
            }
            if (null == accepted)
            {
                throw new ClosedChannelException();
            }
            if (accepted instanceof PlainTcpConnection plain)
            {
                try
                {
                    return new RoutedSocketChannel(provider(), stacks, plain.channel(), plain.received());
                }
                catch (final IOException | RuntimeException e)
                {
                    plain.channel().close();
                    throw e;
                }
            }
            return new RoutedSocketChannel(provider(), stacks, (StreamRsocket)accepted);
        }
        finally
        {
            acceptLock.unlock();
        }
    }

    @Override
    public ServerSocket socket()
    {
        synchronized (stateLock)
        {
            if (null == adaptor)
            {
                try
                {
                    adaptor = new ServerSocketAdaptor(this);
                }
                catch (final IOException e)
                {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return adaptor;
        }
    }


    @Override
    public SocketAddress getLocalAddress() throws IOException
    {
        ensureOpen();
        final ServerSocketChannel k = kernel;
        if (null != k)
        {
            return k.getLocalAddress();
        }
        final StreamRsocket s = rs;
        return null == s ? null : s.localAddress();
    }

    @Override
    public <T> ServerSocketChannel setOption(final SocketOption<T> name, final T value) throws IOException
    {
        Objects.requireNonNull(name);
        synchronized (stateLock)
        {
            ensureOpen();
            options.set(kernel, rs, name, value);
            return this;
        }
    }

    @Override
    public <T> T getOption(final SocketOption<T> name) throws IOException
    {
        Objects.requireNonNull(name);
        synchronized (stateLock)
        {
            ensureOpen();
            return options.get(kernel, rs, name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions()
    {
        return options.supported(kernel, rs);
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException
    {
        synchronized (stateLock)
        {
            final ServerSocketChannel k = kernel;
            if (null != k)
            {
                k.close();
            }
            final StreamRsocket s = rs;
            if (null != s)
            {
                s.close();
            }
        }
    }

    @Override
    protected void implConfigureBlocking(final boolean block) throws IOException
    {
        synchronized (stateLock)
        {
            if (block)
            {
                keys.releaseCancelled();
            }
            final ServerSocketChannel k = kernel;
            if (null != k)
            {
                k.configureBlocking(block);
            }
            final StreamRsocket s = rs;
            if (null != s)
            {
                s.nonblocking(!block);
            }
            blocking = block;
        }
    }

    @Override
    public String toString()
    {
        final ServerSocketChannel k = kernel;
        final StreamRsocket s = rs;
        final String stack = null != k ? "kernel " + k : null != s ? "rsocket " + s : "unbound";
        return "RoutedServerSocketChannel[" + (isOpen() ? "" : "closed, ") + stack + "]";
    }
}
