package io.rdmasockets.nio.channels;


import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.MembershipKey;
import java.nio.channels.SelectableChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Set;

/**
 * A JDK datagram channel behind a channel of this provider, so that it registers with a
 * {@link HybridSelector}. Datagram rsockets (UD) are a later step; until then every datagram channel is a
 * kernel UDP socket. {@link #socket()} is the JDK delegate's adaptor.
 */
final class KernelDatagramChannel extends DatagramChannel implements KernelChannel
{
    private final DatagramChannel delegate;
    private final KeyList keys = new KeyList();

    KernelDatagramChannel(final SelectorProvider provider, final DatagramChannel delegate)
    {
        super(provider);
        this.delegate = delegate;
    }

    @Override
    public DatagramChannel bind(final SocketAddress local) throws IOException
    {
        delegate.bind(local);
        return this;
    }

    @Override
    public <T> DatagramChannel setOption(final SocketOption<T> name, final T value) throws IOException
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
    public DatagramSocket socket()
    {
        return delegate.socket();
    }

    @Override
    public boolean isConnected()
    {
        return delegate.isConnected();
    }

    @Override
    public DatagramChannel connect(final SocketAddress remote) throws IOException
    {
        delegate.connect(remote);
        return this;
    }

    @Override
    public DatagramChannel disconnect() throws IOException
    {
        delegate.disconnect();
        return this;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException
    {
        return delegate.getRemoteAddress();
    }

    @Override
    public SocketAddress receive(final ByteBuffer dst) throws IOException
    {
        return delegate.receive(dst);
    }

    @Override
    public int send(final ByteBuffer src, final SocketAddress target) throws IOException
    {
        return delegate.send(src, target);
    }

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        return delegate.read(dst);
    }

    @Override
    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
    {
        return delegate.read(dsts, offset, length);
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        return delegate.write(src);
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        return delegate.write(srcs, offset, length);
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException
    {
        return delegate.getLocalAddress();
    }

    @Override
    public MembershipKey join(final InetAddress group, final NetworkInterface interf) throws IOException
    {
        return delegate.join(group, interf);
    }

    @Override
    public MembershipKey join(final InetAddress group, final NetworkInterface interf, final InetAddress source)
        throws IOException
    {
        return delegate.join(group, interf, source);
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
}
