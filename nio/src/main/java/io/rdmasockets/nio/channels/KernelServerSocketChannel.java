package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.SelectableChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * The listener of {@link KernelSocketChannel}s: a JDK server socket channel that never becomes an rsocket
 * (UNIX domain), behind a channel of this provider; what it accepts comes wrapped the same way.
 */
final class KernelServerSocketChannel extends ServerSocketChannel implements KernelChannel
{
    private final ServerSocketChannel delegate;
    private final KeyList keys = new KeyList();

    KernelServerSocketChannel(final SelectorProvider provider, final ServerSocketChannel delegate)
    {
        super(provider);
        this.delegate = delegate;
    }

    @Override
    public ServerSocketChannel bind(final SocketAddress local, final int backlog) throws IOException
    {
        delegate.bind(local, backlog);
        return this;
    }

    @Override
    public <T> ServerSocketChannel setOption(final SocketOption<T> name, final T value) throws IOException
    {
        delegate.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(final SocketOption<T> name) throws IOException
    {
        return delegate.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions()
    {
        return delegate.supportedOptions();
    }

    /** As the JDK's UNIX domain channels: {@link UnsupportedOperationException}. */
    @Override
    public ServerSocket socket()
    {
        return delegate.socket();
    }

    @Override
    public SocketChannel accept() throws IOException
    {
        final SocketChannel accepted;
        try
        {
            accepted = delegate.accept();
        }
        catch (final IOException e)
        {
            throw KernelChannel.closedBy(this, e);
        }
        return null == accepted ? null : new KernelSocketChannel(provider(), accepted);
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException
    {
        return delegate.getLocalAddress();
    }

    @Override
    protected void implCloseSelectableChannel() throws IOException
    {
        delegate.close();
    }

    @Override
    protected void implConfigureBlocking(final boolean block) throws IOException
    {
        KernelChannel.configureBlocking(this, block);
    }

    @Override
    public SelectableChannel kernel()
    {
        return delegate;
    }

    @Override
    public KeyList keys()
    {
        return keys;
    }

    @Override
    public String toString()
    {
        return "KernelServerSocketChannel[" + delegate + "]";
    }
}
