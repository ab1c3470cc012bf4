package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link Socket} of a {@link RoutedSocketChannel} ({@link SocketChannel#socket()}), as the JDK's
 * {@code sun.nio.ch.SocketAdaptor}: every call goes to the channel, so it works the same whichever stack
 * the channel became; I/O through its streams needs the channel in blocking mode. Netty's NIO transport,
 * for one, reads and sets options through it.
 */
final class SocketAdaptor extends Socket
{
    private final RoutedSocketChannel channel;
    private volatile int timeoutMs;

    SocketAdaptor(final RoutedSocketChannel channel) throws SocketException
    {
        super((SocketImpl)null);
        this.channel = channel;
    }

    @Override
    public SocketChannel getChannel()
    {
        return channel;
    }

    @Override
    public void connect(final SocketAddress remote) throws IOException
    {
        connect(remote, 0);
    }

    @Override
    public void connect(final SocketAddress remote, final int timeout) throws IOException
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        Objects.requireNonNull(remote, "connect: The address can't be null");
        if (!channel.isBlocking())
        {
            throw new IllegalBlockingModeException();
        }
        channel.connect(remote, timeout);
    }

    @Override
    public void bind(final SocketAddress local) throws IOException
    {
        channel.bind(local);
    }

    @Override
    public InetAddress getInetAddress()
    {
        final InetSocketAddress remote = remote();
        return null == remote ? null : remote.getAddress();
    }

    @Override
    public InetAddress getLocalAddress()
    {
        final InetSocketAddress local = local();
        return null == local ? InetAddress.getLoopbackAddress() : local.getAddress();
    }

    @Override
    public int getPort()
    {
        final InetSocketAddress remote = remote();
        return null == remote ? 0 : remote.getPort();
    }

    @Override
    public int getLocalPort()
    {
        final InetSocketAddress local = local();
        return null == local ? -1 : local.getPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress()
    {
        return remote();
    }

    @Override
    public SocketAddress getLocalSocketAddress()
    {
        return local();
    }

    private InetSocketAddress remote()
    {
        try
        {
            return channel.isOpen() ? (InetSocketAddress)channel.getRemoteAddress() : null;
        }
        catch (final IOException e)
        {
            return null;
        }
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
    public InputStream getInputStream() throws IOException
    {
        check();
        if (isInputShutdown())
        {
            throw new SocketException("Socket input is shutdown");
        }
        return new InputStream()
        {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException
            {
                return 1 == read(one, 0, 1) ? one[0] & 0xFF : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException
            {
                Objects.checkFromIndexSize(off, len, b.length);
                if (0 == len)
                {
                    return 0;
                }
                return channel.blockingRead(ByteBuffer.wrap(b, off, len), timeoutMs);
            }

            @Override
            public int available() throws IOException
            {
                return channel.available();
            }

            @Override
            public void close() throws IOException
            {
                channel.close();
            }
        };
    }

    @Override
    public OutputStream getOutputStream() throws IOException
    {
        check();
        if (isOutputShutdown())
        {
            throw new SocketException("Socket output is shutdown");
        }
        return new OutputStream()
        {
            @Override
            public void write(final int b) throws IOException
            {
                write(new byte[] {(byte)b}, 0, 1);
            }

            @Override
            public void write(final byte[] b, final int off, final int len) throws IOException
            {
                Objects.checkFromIndexSize(off, len, b.length);
                if (!channel.isBlocking())
                {
                    throw new IllegalBlockingModeException();
                }
                final ByteBuffer src = ByteBuffer.wrap(b, off, len);
                while (src.hasRemaining())
                {
                    channel.write(src);
                }
            }

            @Override
            public void close() throws IOException
            {
                channel.close();
            }
        };
    }

    private void check() throws SocketException
    {
        if (!channel.isOpen())
        {
            throw new SocketException("Socket is closed");
        }
        if (!channel.isConnected())
        {
            throw new SocketException("Socket is not connected");
        }
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
    public void setTcpNoDelay(final boolean on) throws SocketException
    {
        set(StandardSocketOptions.TCP_NODELAY, on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException
    {
        return get(StandardSocketOptions.TCP_NODELAY);
    }

    @Override
    public void setSoLinger(final boolean on, final int linger) throws SocketException
    {
        set(StandardSocketOptions.SO_LINGER, on ? Math.min(linger, 65535) : -1);
    }

    @Override
    public int getSoLinger() throws SocketException
    {
        return get(StandardSocketOptions.SO_LINGER);
    }

    @Override
    public void sendUrgentData(final int data) throws IOException
    {
        throw new SocketException("Urgent data not supported");
    }

    @Override
    public void setOOBInline(final boolean on) throws SocketException
    {
        if (!on)
        {
            // rsockets have no urgent data: inline is the only mode, and off is what an unset option means.
            return;
        }
        if (!channel.supportedOptions().contains(io.rdmasockets.rsocket.RdmaSocketOptions.SO_OOBINLINE))
        {
            throw new SocketException("SO_OOBINLINE not supported");
        }
        set(io.rdmasockets.rsocket.RdmaSocketOptions.SO_OOBINLINE, true);
    }

    @Override
    public boolean getOOBInline() throws SocketException
    {
        return channel.supportedOptions().contains(io.rdmasockets.rsocket.RdmaSocketOptions.SO_OOBINLINE) &&
            get(io.rdmasockets.rsocket.RdmaSocketOptions.SO_OOBINLINE);
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
    public int getSoTimeout() throws SocketException
    {
        if (!channel.isOpen())
        {
            throw new SocketException("Socket is closed");
        }
        return timeoutMs;
    }

    @Override
    public void setSendBufferSize(final int size) throws SocketException
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("Invalid send size");
        }
        set(StandardSocketOptions.SO_SNDBUF, size);
    }

    @Override
    public int getSendBufferSize() throws SocketException
    {
        return get(StandardSocketOptions.SO_SNDBUF);
    }

    @Override
    public void setReceiveBufferSize(final int size) throws SocketException
    {
        if (size <= 0)
        {
            throw new IllegalArgumentException("Invalid receive size");
        }
        set(StandardSocketOptions.SO_RCVBUF, size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException
    {
        return get(StandardSocketOptions.SO_RCVBUF);
    }

    @Override
    public void setKeepAlive(final boolean on) throws SocketException
    {
        set(StandardSocketOptions.SO_KEEPALIVE, on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException
    {
        return get(StandardSocketOptions.SO_KEEPALIVE);
    }

    @Override
    public void setTrafficClass(final int tc) throws SocketException
    {
        if (channel.supportedOptions().contains(StandardSocketOptions.IP_TOS))
        {
            set(StandardSocketOptions.IP_TOS, tc);
        }
        // rsockets have no IP_TOS; Socket.setTrafficClass is a hint ("may be ignored"), so is it here.
    }

    @Override
    public int getTrafficClass() throws SocketException
    {
        return channel.supportedOptions().contains(StandardSocketOptions.IP_TOS) ?
            get(StandardSocketOptions.IP_TOS) : 0;
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
    public <T> Socket setOption(final SocketOption<T> name, final T value) throws IOException
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
    public void close() throws IOException
    {
        channel.close();
    }

    @Override
    public void shutdownInput() throws IOException
    {
        channel.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException
    {
        channel.shutdownOutput();
    }

    @Override
    public boolean isConnected()
    {
        return channel.isConnected();
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
    public boolean isInputShutdown()
    {
        return channel.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown()
    {
        return channel.isOutputShutdown();
    }

    @Override
    public String toString()
    {
        if (isConnected())
        {
            return "Socket[addr=" + getInetAddress() + ",port=" + getPort() + ",localport=" + getLocalPort() + "]";
        }
        return "Socket[unconnected]";
    }
}
