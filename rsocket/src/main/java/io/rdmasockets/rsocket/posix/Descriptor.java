package io.rdmasockets.rsocket.posix;

/** What a descriptor of the facade names: an rsocket, or a JDK channel registered to be polled with rsockets. */
sealed interface Descriptor permits RsocketFd, ChannelFd
{
    /** Releases what the descriptor holds; called once, after it left the table. */
    void close();
}
