package io.rdmasockets.tools.stream;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * What rstream needs of a socket layer besides the data calls of {@link Connection}: listen, accept and
 * connect, with the options of C's {@code set_options}. Control calls throw; the message says what failed.
 */
public interface Transport
{
    /**
     * The options rstream sets on every socket (C's {@code set_options}).
     *
     * @param bufferSize       SO_SNDBUF and SO_RCVBUF (rstream's {@code -B}, default {@code 1 << 19}).
     * @param nonblocking      O_NONBLOCK ({@code MSG_DONTWAIT} in the flags).
     * @param inlineSize       rsockets' RDMA_INLINE, or -1 to keep the default.
     * @param keepaliveSeconds SO_KEEPALIVE with this TCP_KEEPIDLE, or 0 for none.
     * @param receiveTimeoutMs a blocking receive gives up after this long ({@code -EAGAIN}), where the
     *                         socket layer supports it (rsockets do, JDK channels do not); 0 for never.
     */
    record Options(int bufferSize, boolean nonblocking, int inlineSize, int keepaliveSeconds, int receiveTimeoutMs)
    {
    }

    /** A listening socket. */
    interface Listener extends AutoCloseable
    {
        /**
         * Sets the options on the listener (inherited by what it accepts), accepts, and sets them on the
         * new connection, as rstream's {@code server_connect}.
         *
         * @param options   the options.
         * @param timeoutMs how long to wait for a client; 0 without limit.
         * @return the connection.
         * @throws IOException when none came in time or accepting failed.
         */
        Connection accept(Options options, long timeoutMs) throws IOException;

        /** @return the port listened on. */
        int port();

        @Override
        void close();
    }

    /** @return e.g. {@code "rsocket (tcp)"} or {@code "socket"}. */
    String name();

    /**
     * Binds (with SO_REUSEADDR) and listens with a backlog of 1, as rstream's {@code server_listen}.
     *
     * @param local the address to listen on.
     * @return the listener.
     * @throws IOException e.g. the address is in use.
     */
    Listener listen(InetSocketAddress local) throws IOException;

    /**
     * Opens a socket, sets the options, binds it when {@code local} is given, and connects, as rstream's
     * {@code client_connect}.
     *
     * @param remote    the server.
     * @param local     the address to bind to first, or null.
     * @param options   the options.
     * @param timeoutMs how long connecting may take.
     * @return the connection.
     * @throws IOException e.g. refused.
     */
    Connection connect(InetSocketAddress remote, InetSocketAddress local, Options options, long timeoutMs)
        throws IOException;
}
