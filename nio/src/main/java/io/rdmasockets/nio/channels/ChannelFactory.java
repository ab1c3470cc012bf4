package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/** Makes this module's channels and selectors for {@code RdmaSelectorProvider} (which is in the API package). */
public final class ChannelFactory
{
    private final SelectorProvider provider;
    private final Stacks stacks;

    /**
     * @param provider the provider the channels report.
     * @param stacks   the stacks and the router.
     */
    public ChannelFactory(final SelectorProvider provider, final Stacks stacks)
    {
        this.provider = provider;
        this.stacks = stacks;
    }

    /**
     * @param family INET, INET6, UNIX, or null for the JDK's default.
     * @return an unconnected socket channel; its stack is decided at bind or connect (UNIX: always the
     *         kernel's).
     * @throws IOException when the JDK cannot open a UNIX domain channel.
     */
    public SocketChannel socket(final ProtocolFamily family) throws IOException
    {
        return StandardProtocolFamily.UNIX == family ?
            new KernelSocketChannel(provider, stacks.kernel().openSocketChannel(family)) :
            new RoutedSocketChannel(provider, stacks, family);
    }

    /**
     * @param family INET, INET6, UNIX, or null.
     * @return an unbound server socket channel; its stack is decided at bind (UNIX: always the kernel's).
     * @throws IOException when the JDK cannot open a UNIX domain channel.
     */
    public ServerSocketChannel server(final ProtocolFamily family) throws IOException
    {
        return StandardProtocolFamily.UNIX == family ?
            new KernelServerSocketChannel(provider, stacks.kernel().openServerSocketChannel(family)) :
            new RoutedServerSocketChannel(provider, stacks, family);
    }

    /**
     * @return a selector over every kind of channel of this provider.
     * @throws IOException when the JDK selector inside cannot be opened.
     */
    public AbstractSelector selector() throws IOException
    {
        return new HybridSelector(provider, stacks.kernel(), stacks.config().pollingTimeUs());
    }

    /**
     * @return a JDK pipe behind channels of this provider.
     * @throws IOException when the JDK cannot open one.
     */
    public Pipe pipe() throws IOException
    {
        return new KernelPipe(provider, stacks.kernel().openPipe());
    }

    /**
     * @param family INET, INET6, or null.
     * @return a kernel datagram channel behind a channel of this provider.
     * @throws IOException when the JDK cannot open one.
     */
    public DatagramChannel datagram(final ProtocolFamily family) throws IOException
    {
        return new KernelDatagramChannel(provider,
            null == family ? stacks.kernel().openDatagramChannel() : stacks.kernel().openDatagramChannel(family));
    }

    @Override
    public String toString()
    {
        return "router=" + stacks.router();
    }
}
