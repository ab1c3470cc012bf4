package io.rdmasockets.nio;

import java.net.InetSocketAddress;

/** Decides the stack of a socket when its address becomes known. */
public interface Router
{
    /** What a socket is about to do with the address. */
    enum Operation
    {
        /** Connect to a remote address. */
        CONNECT,
        /** Bind a socket that will connect. */
        BIND,
        /** Bind a server socket that will accept. */
        ACCEPT
    }

    /**
     * @param operation what the socket does.
     * @param address   the remote address (CONNECT) or the local one (BIND, ACCEPT).
     * @return true for an rsocket, false for a kernel TCP socket.
     */
    boolean useRsocket(Operation operation, InetSocketAddress address);

    /**
     * Whether a server socket routed to rsockets also takes plain TCP clients on its port (as IBM JSOR
     * could), so that clients that do not use rsockets reach it too. How the two kinds share a port depends
     * on the verbs provider: see {@code nio/README.md}, "A server for both".
     *
     * @param local the server socket's local address.
     * @return true to take both kinds; false (the default) for rsockets only.
     */
    default boolean acceptTcp(final InetSocketAddress local)
    {
        return false;
    }

    /**
     * Whether a connect routed to rsockets may fall back to a kernel TCP connect when RDMA cannot reach the
     * destination: no verbs provider or route, no rsocket listener there, or no answer.
     *
     * @param destination the remote address.
     * @return true to fall back (the default), false to report the rsocket failure.
     */
    default boolean fallbackToTcp(final InetSocketAddress destination)
    {
        return true;
    }

    /**
     * @param operation what the socket does.
     * @param address   the address.
     * @return what decided, for logs ({@code rd_config.json:3 10.0.0.0/24 -> rsocket}), or null.
     */
    default String describe(final Operation operation, final InetSocketAddress address)
    {
        return null;
    }

    /** @return a router that makes every socket an rsocket. */
    static Router allRsockets()
    {
        return (operation, address) -> true;
    }

    /**
     * @return a router that makes every socket an rsocket, each server socket taking plain TCP clients on its
     *         port too ({@link #acceptTcp}).
     */
    static Router allRsocketsAcceptingTcp()
    {
        return new Router()
        {
            @Override
            public boolean useRsocket(final Operation operation, final InetSocketAddress address)
            {
                return true;
            }

            @Override
            public boolean acceptTcp(final InetSocketAddress local)
            {
                return true;
            }
        };
    }

    /** @return a router that makes every socket a kernel socket. */
    static Router noRsockets()
    {
        return (operation, address) -> false;
    }
}
