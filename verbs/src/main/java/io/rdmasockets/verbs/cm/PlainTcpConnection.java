package io.rdmasockets.verbs.cm;

import java.nio.channels.SocketChannel;
import java.util.Objects;

/**
 * A plain TCP connection that reached a listening port shared by rsockets and kernel TCP, handed on
 * instead of being treated as a connection request ({@link CmId#shareTcpPort}).
 *
 * @param channel  the connected socket, of the JDK's own provider, in blocking mode and registered with
 *                 no selector.
 * @param received bytes the provider already read from it to tell it from a connection request; the
 *                 application must see them before anything the channel reads (may be empty).
 */
public record PlainTcpConnection(SocketChannel channel, byte[] received)
{
    /**
     * @param channel  the socket.
     * @param received the bytes already read.
     */
    public PlainTcpConnection
    {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(received, "received");
    }
}
