package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImplFactory;
import java.nio.channels.spi.SelectorProvider;

/**
 * Routes {@code java.net.Socket} and {@code java.net.ServerSocket} through the JDK's socket implementation
 * factories, still present though deprecated. Each may be set once per JVM, and only before an
 * application sets its own; sockets made with an explicit {@link java.net.Proxy} or a SocketImpl of
 * their own are not affected; {@code Socket.getChannel()} stays null for them, as for the JDK's.
 */
public final class SocketFactories
{
    private SocketFactories()
    {
    }

    /**
     * @param provider the provider whose routed channels the sockets become.
     * @throws IOException when a factory is already set (the JDK allows one).
     */
    @SuppressWarnings("deprecation")
    public static void install(final SelectorProvider provider) throws IOException
    {
        final SocketImplFactory factory = () -> new RoutedSocketImpl(provider);
        Socket.setSocketImplFactory(factory);
        ServerSocket.setSocketFactory(factory);
    }
}
