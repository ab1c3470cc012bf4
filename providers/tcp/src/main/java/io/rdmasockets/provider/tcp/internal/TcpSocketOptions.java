package io.rdmasockets.provider.tcp.internal;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

import jdk.net.ExtendedSocketOptions;

/**
 * Socket options of every provider connection: non-blocking, TCP_NODELAY (latency), and short TCP
 * keepalive so a vanished host is noticed within seconds (configurable, see {@link TcpConfiguration}).
 */
final class TcpSocketOptions
{
    private TcpSocketOptions()
    {
    }

    /**
     * @param channel a connecting or accepted socket.
     * @throws IOException when an option cannot be set.
     */
    static void configure(final SocketChannel channel) throws IOException
    {
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPIDLE, TcpConfiguration.keepaliveIdleSec());
        setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPINTERVAL, TcpConfiguration.keepaliveIntervalSec());
        setIfSupported(channel, ExtendedSocketOptions.TCP_KEEPCOUNT, TcpConfiguration.keepaliveCount());
    }

    private static void setIfSupported(final SocketChannel channel, final SocketOption<Integer> option, final int value)
        throws IOException
    {
        if (channel.supportedOptions().contains(option))
        {
            channel.setOption(option, value);
        }
    }
}
