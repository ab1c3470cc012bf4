package io.rdmasockets.nio;

import io.rdmasockets.nio.channels.ChannelFactory;
import io.rdmasockets.nio.Router;
import io.rdmasockets.nio.channels.Stacks;
import io.rdmasockets.nio.routing.RoutingRules;
import io.rdmasockets.rsocket.config.RsocketConfig;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;

/**
 * A {@link SelectorProvider} whose socket channels are rsockets or kernel TCP sockets, chosen per socket
 * when bind or connect gives it an address, and whose selectors multiplex both kinds (and pipes and
 * datagram channels, which are kernel ones).
 *
 * <p>Install it explicitly, never by merely being on the class path:
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.rdmasockets.nio.RdmaSelectorProvider}; the JDK then
 * creates it with the public no-argument constructor, which reads the routing rules. Code can also create
 * one with its own {@link Router} and use it directly ({@code provider.openSocketChannel()}).
 *
 * <p>Routing with the no-argument constructor: the rule file {@code -Drdmasockets.rules=FILE}, else DMM's
 * {@code module_config.json}/{@code rd_config.json} ({@code NSTACK_MOD_CFG_FILE}/{@code NSTACK_MOD_CFG_RD}),
 * see {@link RoutingRules}; without rules, {@code -Drdmasockets.nio.route=all} makes every socket an rsocket
 * and {@code none} (the default) every socket a kernel one. A broken rule file fails the provider's creation
 * with {@code file:line: what is wrong}.
 */
public final class RdmaSelectorProvider extends SelectorProvider
{
    /** System property: {@code all} or {@code none}. */
    public static final String ROUTE_PROP_NAME = "rdmasockets.nio.route";
    /**
     * Without rules and with {@code route=all}: {@code true} makes every server socket take plain TCP clients
     * on its port too ({@link Router#acceptTcp}; {@code rsock run --accept-tcp}).
     */
    public static final String ACCEPT_TCP_PROP_NAME = "rdmasockets.nio.acceptTcp";

    private final ChannelFactory channels;

    /** The provider the JDK creates: routing from the system properties, the default verbs provider. */
    public RdmaSelectorProvider()
    {
        this(configuredRouter());
    }

    private static Router configuredRouter()
    {
        final RoutingRules rules;
        try
        {
            rules = RoutingRules.fromConfiguration();
        }
        catch (final IOException e)
        {
            throw new java.io.UncheckedIOException("rdmasockets: routing rules: " + e.getMessage(), e);
        }
        if (null != rules)
        {
            return rules;
        }
        if (!"all".equalsIgnoreCase(System.getProperty(ROUTE_PROP_NAME, "none")))
        {
            return Router.noRsockets();
        }
        return Boolean.getBoolean(ACCEPT_TCP_PROP_NAME) ? Router.allRsocketsAcceptingTcp() : Router.allRsockets();
    }

    /**
     * @param router picks the stack of each socket.
     */
    public RdmaSelectorProvider(final Router router)
    {
        this.channels = new ChannelFactory(this, new Stacks(router, null, RsocketConfig.process()));
    }

    @Override
    public DatagramChannel openDatagramChannel() throws IOException
    {
        return channels.datagram(null);
    }

    @Override
    public DatagramChannel openDatagramChannel(final ProtocolFamily family) throws IOException
    {
        return channels.datagram(family);
    }

    @Override
    public Pipe openPipe() throws IOException
    {
        return channels.pipe();
    }

    @Override
    public AbstractSelector openSelector() throws IOException
    {
        return channels.selector();
    }

    @Override
    public ServerSocketChannel openServerSocketChannel() throws IOException
    {
        return channels.server(null);
    }

    @Override
    public ServerSocketChannel openServerSocketChannel(final ProtocolFamily family) throws IOException
    {
        return channels.server(checkFamily(family));
    }

    @Override
    public SocketChannel openSocketChannel() throws IOException
    {
        return channels.socket(null);
    }

    @Override
    public SocketChannel openSocketChannel(final ProtocolFamily family) throws IOException
    {
        return channels.socket(checkFamily(family));
    }

    /**
     * INET and INET6 sockets are routed; UNIX domain sockets never go over RDMA: they are the JDK's, wrapped so
     * that they register with this provider's selectors.
     */
    private static ProtocolFamily checkFamily(final ProtocolFamily family)
    {
        if (StandardProtocolFamily.INET != family && StandardProtocolFamily.INET6 != family &&
            StandardProtocolFamily.UNIX != family)
        {
            throw new UnsupportedOperationException("Protocol family not supported: " + family);
        }
        return family;
    }

    @Override
    public String toString()
    {
        return "RdmaSelectorProvider[" + channels + "]";
    }
}
