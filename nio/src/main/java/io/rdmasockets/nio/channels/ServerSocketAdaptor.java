package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;

/**
 * The {@link ServerSocket} of a {@link RoutedServerSocketChannel}, as the JDK's
 * {@code sun.nio.ch.ServerSocketAdaptor}: every call goes to the channel; accept needs blocking mode and
 * honours {@code SO_TIMEOUT}.
 */
final class ServerSocketAdaptor extends ServerSocket
{
    private final RoutedServerSocketChannel channel;
    private volatile int timeoutMs;

    ServerSocketAdaptor(final RoutedServerSocketChannel channel) throws IOException
    {
        super(new DummySocketImpl());
        this.channel = channel;
    }

    @Override
    public ServerSocketChannel getChannel()
    {
        return channel;
    }

    @Override
    public void bind(final SocketAddress local) throws IOException
    {
        bind(local, 50);
    }

    @Override
    public void bind(final SocketAddress local, final int backlog) throws IOException
    {
        channel.bind(local, backlog);
    }

    @Override
    public InetAddress getInetAddress()
    {
        final InetSocketAddress local = local();
        return null == local ? null : local.getAddress();
    }

    @Override
    public int getLocalPort()
    {
        final InetSocketAddress local = local();
        return null == local ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress()
    {
        return local();
    }

    private InetSocketAddress local()
    {
        try
        {
            return channel.isOpen() ? (InetSocketAddress)channel.getLocalAddress() : null;
        }
        catch (final IOException e)
        {
            return null;
        }
    }

    @Override
    public Socket accept() throws IOException
    {
        if (!channel.isBlocking())
        {
            throw new IllegalBlockingModeException();
        }
        final SocketChannel accepted = channel.accept(timeoutMs);
        if (null == accepted)
        {
            throw new SocketTimeoutException("Accept timed out");
        }
        return accepted.socket();
    }

    @Override
    public void close() throws IOException
    {
        channel.close();
    }

    @Override
    public boolean isBound()
    {
        return null != local();
    }

    @Override
    public boolean isClosed()
    {
        return !channel.isOpen();
    }

    @Override
    public void setSoTimeout(final int timeout) throws SocketException
    {
        if (!channel.isOpen())
        {
            throw new SocketException("Socket is closed");
        }
        if (timeout < 0)
        {
            throw new IllegalArgumentException("timeout < 0");
        }
        timeoutMs = timeout;
    }

    @Override
    public int getSoTimeout() throws IOException
    {
        if (!channel.isOpen())
        {
            throw new SocketException("Socket is closed");
        }
        return timeoutMs;
    }

    @Override
    public void setReuseAddress(final boolean on) throws SocketException
    {
        set(StandardSocketOptions.SO_REUSEADDR, on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException
    {
        return get(StandardSocketOptions.SO_REUSEADDR);
    }

    @Override
    public void setReceiveBufferSize(final int size) throws SocketException
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("negative receive size");
        }
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException
    {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    private <T> void set(final SocketOption<T> name, final T value) throws SocketException
    {
        AdaptorOptions.set(channel, name, value);
    }

    private <T> T get(final SocketOption<T> name) throws SocketException
    {
        return AdaptorOptions.get(channel, name);
    }

    @Override
    public <T> ServerSocket setOption(final SocketOption<T> name, final T value) throws IOException
    {
        channel.setOption(name, value);
        return this;
    }

    @Override
    public <T> T getOption(final SocketOption<T> name) throws IOException
    {
        return channel.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions()
    {
        return channel.supportedOptions();
    }

    @Override
    public String toString()
    {
        return isBound() ? "ServerSocket[addr=" + getInetAddress() + ",localport=" + getLocalPort() + "]" :
            "ServerSocket[unbound]";
    }
}
