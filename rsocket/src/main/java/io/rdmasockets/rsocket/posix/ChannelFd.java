package io.rdmasockets.rsocket.posix;

import java.nio.channels.SelectableChannel;

/**
 * A JDK channel given a descriptor by {@link Rsockets#rregister}, so that {@code rpoll} and {@code rselect} wait
 * for it together with rsockets, as rsocket(7) lets C programs mix rsocket and normal descriptors.
 *
 * @param channel the channel, in non-blocking mode.
 */
record ChannelFd(SelectableChannel channel) implements Descriptor
{
    /** Forgets the channel in every poller; the channel itself stays open: it is the caller's. */
    @Override
    public void close()
    {
        Poller.forget(channel);
    }
}
