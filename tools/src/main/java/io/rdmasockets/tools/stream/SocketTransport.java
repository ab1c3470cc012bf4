package io.rdmasockets.tools.stream;

import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * rstream over plain sockets ({@code -T s}): JDK {@link SocketChannel}s with TCP_NODELAY, as C's
 * {@code rs_*} macros with {@code use_rs = 0}.
 */
public final class SocketTransport implements Transport
{
    @Override
    public String name()
    {
        return "socket";
    }

    @Override
    public Listener listen(final InetSocketAddress local) throws IOException
    {
        final ServerSocketChannel server = ServerSocketChannel.open();
        try
        {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(local, 1);
            return new SocketListener(server);
        }
        catch (final IOException e)
        {
            server.close();
            throw new IOException("listen on " + local + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Connection connect(final InetSocketAddress remote, final InetSocketAddress local, final Options options,
        final long timeoutMs) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            setOptions(channel, options);
            if (null != local)
            {
                channel.bind(local);
            }
            channel.socket().connect(remote, (int)Math.min(timeoutMs, Integer.MAX_VALUE));
            return connected(channel, options);
        }
        catch (final IOException e)
        {
            channel.close();
            throw new IOException("connect to " + remote + ": " + e.getMessage(), e);
        }
    }

    /** C's {@code set_options} for sockets: buffer sizes, TCP_NODELAY, keepalive (inline is rsockets' only). */
    private static void setOptions(final NetworkChannel channel, final Options options) throws IOException
    {
        channel.setOption(StandardSocketOptions.SO_RCVBUF, options.bufferSize());
        if (channel instanceof SocketChannel socket)
        {
            socket.setOption(StandardSocketOptions.SO_SNDBUF, options.bufferSize());
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (options.keepaliveSeconds() > 0)
            {
                socket.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, options.keepaliveSeconds());
            }
        }
    }

    private static Connection connected(final SocketChannel channel, final Options options) throws IOException
    {
        channel.configureBlocking(!options.nonblocking());
        return new SocketConnection(channel, options.nonblocking());
    }

    private static final class SocketListener implements Listener
    {
        private final ServerSocketChannel server;

        SocketListener(final ServerSocketChannel server)
        {
            this.server = server;
        }

        @Override
        public Connection accept(final Options options, final long timeoutMs) throws IOException
        {
            SocketChannel channel = null;
            try
            {
                setOptions(server, options);
                // The adaptor's accept honours SO_TIMEOUT; C busy-loops a nonblocking accept instead.
                server.socket().setSoTimeout((int)Math.min(timeoutMs, Integer.MAX_VALUE));
                channel = server.socket().accept().getChannel();
                setOptions(channel, options);
                return connected(channel, options);
            }
            catch (final SocketTimeoutException e)
            {
                throw new IOException("accept on port " + port() + ": no client within " + timeoutMs + " ms", e);
            }
            catch (final IOException e)
            {
                if (null != channel)
                {
                    channel.close();
                }
                throw new IOException("accept on port " + port() + ": " + e.getMessage(), e);
            }
        }

        @Override
        public int port()
        {
            return server.socket().getLocalPort();
        }

        @Override
        public void close()
        {
            try
            {
                server.close();
            }
            catch (final IOException ignored)
            {
                // Nothing left to release.
            }
        }
    }
}
