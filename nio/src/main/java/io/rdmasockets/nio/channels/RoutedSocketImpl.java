package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link SocketImpl} behind {@code new Socket(...)} and {@code new ServerSocket(...)} once
 * {@link SocketFactories#install} has set the JDK's socket factories: each one is a routed channel of
 * the provider (a socket or, after {@link #listen}, a server socket), so plain {@code java.net} code is
 * routed exactly as NIO code is. Legacy integer options map to the channel's {@link SocketOption}s;
 * {@code SO_TIMEOUT} bounds reads and accepts.
 */
final class RoutedSocketImpl extends SocketImpl
{
    private final SelectorProvider provider;
    private RoutedSocketChannel socket;
    private RoutedServerSocketChannel server;
    private InetSocketAddress bindAddress;
    private int timeoutMs;

    RoutedSocketImpl(final SelectorProvider provider)
    {
        this.provider = provider;
    }

    @Override
    protected void create(final boolean stream) throws IOException
    {
        if (!stream)
        {
            throw new SocketException("datagram sockets are not routed");
        }
    }

    private RoutedSocketChannel socket() throws IOException
    {
        if (null == socket)
        {
            socket = (RoutedSocketChannel)provider.openSocketChannel();
        }
        return socket;
    }

    @Override
    protected void connect(final String host, final int port) throws IOException
    {
        connect(new InetSocketAddress(host, port), 0);
    }

    @Override
    protected void connect(final InetAddress address, final int port) throws IOException
    {
        connect(new InetSocketAddress(address, port), 0);
    }

    @Override
    protected void connect(final SocketAddress address, final int timeout) throws IOException
    {
        if (address instanceof InetSocketAddress isa && isa.isUnresolved())
        {
            throw new UnknownHostException(isa.getHostName());
        }
        final RoutedSocketChannel c = socket();
        if (null != bindAddress && null == c.getLocalAddress())
        {
            c.bind(bindAddress);
        }
        c.connect(address, timeout);
        fill(c);
    }

    private void fill(final RoutedSocketChannel c) throws IOException
    {
        final InetSocketAddress remote = (InetSocketAddress)c.getRemoteAddress();
        final InetSocketAddress local = (InetSocketAddress)c.getLocalAddress();
        if (null != remote)
        {
            this.address = remote.getAddress();
            this.port = remote.getPort();
        }
        if (null != local)
        {
            this.localport = local.getPort();
        }
    }

    @Override
    protected void bind(final InetAddress host, final int port) throws IOException
    {
        // Whether this becomes a client or a server is known only at listen or connect. As the JDK's own
        // implementation, the address field keeps the host bound to (ServerSocket.getInetAddress reads it).
        bindAddress = new InetSocketAddress(host, port);
        address = host;
        localport = port;
    }

    @Override
    protected void listen(final int backlog) throws IOException
    {
        server = (RoutedServerSocketChannel)provider.openServerSocketChannel();
        if (null != socket)
        {
            // Options set before listen (SO_RCVBUF, SO_REUSEADDR) apply to the listener.
            for (final SocketOption<?> o : Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR))
            {
                copy(socket, server, o);
            }
            socket.close();
            socket = null;
        }
        server.bind(bindAddress, backlog);
        final InetSocketAddress local = (InetSocketAddress)server.getLocalAddress();
        this.localport = local.getPort();
        if (null == address)
        {
            this.address = local.getAddress();
        }
    }

    private static <T> void copy(final RoutedSocketChannel from, final ServerSocketChannel to, final SocketOption<T> o)
        throws IOException
    {
        to.setOption(o, from.getOption(o));
    }

    @Override
    protected void accept(final SocketImpl s) throws IOException
    {
        if (null == server)
        {
            throw new SocketException("not listening");
        }
        final SocketChannel accepted = server.accept(timeoutMs);
        if (null == accepted)
        {
            throw new java.net.SocketTimeoutException("Accept timed out");
        }
        final RoutedSocketImpl impl = (RoutedSocketImpl)s;
        impl.socket = (RoutedSocketChannel)accepted;
        impl.fill(impl.socket);
    }

    @Override
    protected InputStream getInputStream() throws IOException
    {
        final RoutedSocketChannel c = connected();
        return new InputStream()
        {
            @Override
            public int read() throws IOException
            {
                final byte[] one = new byte[1];
                return 1 == read(one, 0, 1) ? one[0] & 0xFF : -1;
            }

            @Override
            public int read(final byte[] b, final int off, final int len) throws IOException
            {
                Objects.checkFromIndexSize(off, len, b.length);
                return 0 == len ? 0 : c.blockingRead(ByteBuffer.wrap(b, off, len), timeoutMs);
            }

            @Override
            public int available() throws IOException
            {
                return c.available();
            }
        };
    }

    @Override
    protected OutputStream getOutputStream() throws IOException
    {
        final RoutedSocketChannel c = connected();
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
                final ByteBuffer src = ByteBuffer.wrap(b, off, len);
                while (src.hasRemaining())
                {
                    c.write(src);
                }
            }
        };
    }

    private RoutedSocketChannel connected() throws IOException
    {
        if (null == socket || !socket.isConnected())
        {
            throw new SocketException("Socket is not connected");
        }
        return socket;
    }

    @Override
    protected int available() throws IOException
    {
        return connected().available();
    }

    @Override
    protected void close() throws IOException
    {
        if (null != socket)
        {
            socket.close();
        }
        if (null != server)
        {
            server.close();
        }
    }

    @Override
    protected void shutdownInput() throws IOException
    {
        connected().shutdownInput();
    }

    @Override
    protected void shutdownOutput() throws IOException
    {
        connected().shutdownOutput();
    }

    @Override
    protected void sendUrgentData(final int data) throws IOException
    {
        throw new SocketException("Urgent data not supported");
    }

    @Override
    protected boolean supportsUrgentData()
    {
        return false;
    }

    @Override
    public void setOption(final int id, final Object value) throws SocketException
    {
        try
        {
            switch (id)
            {
                case SocketOptions.SO_TIMEOUT -> timeoutMs = (Integer)value;
                case SocketOptions.SO_LINGER -> set(StandardSocketOptions.SO_LINGER,
                    value instanceof Integer i ? i : Boolean.FALSE.equals(value) ? -1 : 0);
                case SocketOptions.IP_TOS ->
                {
                    // rsockets have no IP_TOS; Socket.setTrafficClass is a hint that may be ignored.
                    if (target().supportedOptions().contains(StandardSocketOptions.IP_TOS))
                    {
                        set(StandardSocketOptions.IP_TOS, (Integer)value);
                    }
                }
                case SocketOptions.SO_OOBINLINE ->
                {
                    // No urgent data over rsockets: inline is the only behaviour.
                }
                default -> set(standard(id), value);
            }
        }
        catch (final SocketException e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw (SocketException)new SocketException(e.getMessage()).initCause(e);
        }
    }

    @Override
    public Object getOption(final int id) throws SocketException
    {
        try
        {
            return switch (id)
            {
                case SocketOptions.SO_TIMEOUT -> timeoutMs;
                case SocketOptions.SO_BINDADDR -> localAddress();
                case SocketOptions.IP_TOS -> target().supportedOptions().contains(StandardSocketOptions.IP_TOS) ?
                    target().getOption(StandardSocketOptions.IP_TOS) : 0;
                case SocketOptions.SO_OOBINLINE -> false;
                case SocketOptions.SO_LINGER ->
                {
                    final int linger = target().getOption(StandardSocketOptions.SO_LINGER);
                    yield linger < 0 ? (Object)Boolean.FALSE : (Object)linger;
                }
                default -> target().getOption(standard(id));
            };
        }
        catch (final SocketException e)
        {
            throw e;
        }
        catch (final IOException e)
        {
            throw (SocketException)new SocketException(e.getMessage()).initCause(e);
        }
    }

    private InetAddress localAddress() throws IOException
    {
        final java.nio.channels.NetworkChannel c = target();
        final InetSocketAddress local = (InetSocketAddress)c.getLocalAddress();
        return null != local ? local.getAddress() : null != bindAddress ? bindAddress.getAddress() :
            InetAddress.getByName("0.0.0.0");
    }

    private java.nio.channels.NetworkChannel target() throws IOException
    {
        return null != server ? server : socket();
    }

    @SuppressWarnings("unchecked")
    private <T> void set(final SocketOption<T> name, final Object value) throws IOException
    {
        target().setOption(name, (T)value);
    }

    private static SocketOption<?> standard(final int id) throws SocketException
    {
        return switch (id)
        {
            case SocketOptions.TCP_NODELAY -> StandardSocketOptions.TCP_NODELAY;
            case SocketOptions.SO_REUSEADDR -> StandardSocketOptions.SO_REUSEADDR;
            case SocketOptions.SO_KEEPALIVE -> StandardSocketOptions.SO_KEEPALIVE;
            case SocketOptions.SO_SNDBUF -> StandardSocketOptions.SO_SNDBUF;
            case SocketOptions.SO_RCVBUF -> StandardSocketOptions.SO_RCVBUF;
            case SocketOptions.SO_REUSEPORT -> StandardSocketOptions.SO_REUSEPORT;
            default -> throw new SocketException("Unknown option " + id);
        };
    }

    @Override
    protected <T> void setOption(final SocketOption<T> name, final T value) throws IOException
    {
        target().setOption(name, value);
    }

    @Override
    protected <T> T getOption(final SocketOption<T> name) throws IOException
    {
        return target().getOption(name);
    }

    @Override
    protected Set<SocketOption<?>> supportedOptions()
    {
        try
        {
            return target().supportedOptions();
        }
        catch (final IOException e)
        {
            return Set.of();
        }
    }

    @Override
    public String toString()
    {
        return "RoutedSocketImpl[" + (null != server ? server : socket) + "]";
    }
}
