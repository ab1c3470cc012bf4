package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A JDK socket channel that never becomes an rsocket (UNIX domain sockets: RDMA has no such family) behind a
 * channel of this provider, so that it registers with a {@link HybridSelector} beside rsockets. Every call
 * goes to the JDK delegate; one that an interrupt or a close ended closes this channel too, as the JDK's own
 * channel closes itself.
 */
final class KernelSocketChannel extends SocketChannel implements KernelChannel
{
    private final SocketChannel delegate;
    private final KeyList keys = new KeyList();

    KernelSocketChannel(final SelectorProvider provider, final SocketChannel delegate)
    {
        super(provider);
        this.delegate = delegate;
    }

    private <E extends IOException> E closedBy(final E e)
    {
        return KernelChannel.closedBy(this, e);
    }

    @Override
    public SocketChannel bind(final SocketAddress local) throws IOException
    {
        delegate.bind(local);
        return this;
    }

    @Override
    public <T> SocketChannel setOption(final SocketOption<T> name, final T value) throws IOException
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

    @Override
    public SocketChannel shutdownInput() throws IOException
    {
        delegate.shutdownInput();
        return this;
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException
    {
        delegate.shutdownOutput();
        return this;
    }

    /** As the JDK's UNIX domain channels: {@link UnsupportedOperationException}. */
    @Override
    public Socket socket()
    {
        return delegate.socket();
    }

    @Override
    public boolean isConnected()
    {
        return delegate.isConnected();
    }

    @Override
    public boolean isConnectionPending()
    {
        return delegate.isConnectionPending();
    }

    @Override
    public boolean connect(final SocketAddress remote) throws IOException
    {
        try
        {
            return delegate.connect(remote);
        }
        catch (final IOException e)
        {
            throw closedBy(e);
        }
    }

    @Override
    public boolean finishConnect() throws IOException
    {
        try
        {
            return delegate.finishConnect();
        }
        catch (final IOException e)
        {
            throw closedBy(e);
        }
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException
    {
        return delegate.getRemoteAddress();
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        try
        {
            return delegate.read(dst);
        }
        catch (final IOException e)
        {
            throw closedBy(e);
        }
    }

    @Override
    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
    {
        try
        {
            return delegate.read(dsts, offset, length);
        }
        catch (final IOException e)
        {
            throw closedBy(e);
        }
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        try
        {
            return delegate.write(src);
        }
        catch (final IOException e)
        {
            throw closedBy(e);
        }
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        try
        {
            return delegate.write(srcs, offset, length);
        }
        catch (final IOException e)
        {
            throw closedBy(e);
        }
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
        return "KernelSocketChannel[" + delegate + "]";
    }
}
