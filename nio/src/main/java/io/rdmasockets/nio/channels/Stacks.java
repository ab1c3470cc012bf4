package io.rdmasockets.nio.channels;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;
import io.rdmasockets.nio.Router;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

import java.io.IOException;
import java.nio.channels.spi.SelectorProvider;

/**
 * The two stacks a channel can be: rsockets on a verbs provider, or the JDK's kernel sockets; and the
 * router that picks one per socket.
 */
public final class Stacks
{
    private final Router router;
    private final SelectorProvider kernel = PlatformSelectorProvider.get();
    private volatile VerbsProvider verbs;
    private final RsocketConfig config;

    /**
     * @param router picks the stack of each socket.
     * @param verbs  the verbs provider for rsockets, or null for the default one (looked up on first use).
     * @param config the rsocket configuration.
     */
    public Stacks(final Router router, final VerbsProvider verbs, final RsocketConfig config)
    {
        this.router = router;
        this.verbs = verbs;
        this.config = config;
    }

    /** @return the router. */
    public Router router()
    {
        return router;
    }

    /** @return the JDK's provider, for kernel sockets, pipes and datagram channels. */
    public SelectorProvider kernel()
    {
        return kernel;
    }

    /** @return the rsocket configuration (polling time for selectors, sizes). */
    public RsocketConfig config()
    {
        return config;
    }

    /** @return the rsocket stack with its verbs provider, for logs: {@code rsocket/native}. */
    String rsocketName()
    {
        final VerbsProvider v = verbs;
        return "rsocket/" + (null == v ? "?" : v.name());
    }

    /**
     * @return a new unconnected rsocket.
     * @throws IOException when no verbs provider is available or it cannot create a socket.
     */
    StreamRsocket openRsocket() throws IOException
    {
        VerbsProvider v = verbs;
        if (null == v)
        {
            v = Verbs.defaultProvider();
            verbs = v;
        }
        try
        {
            return StreamRsocket.open(v, config);
        }
        catch (final ErrnoException e)
        {
            throw RsocketSupport.exception(e, "rsocket on " + v.name());
        }
    }
}
