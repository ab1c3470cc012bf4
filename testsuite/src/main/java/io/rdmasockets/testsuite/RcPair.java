package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static io.rdmasockets.testsuite.Tests.DEFAULT_TIMEOUT;

/**
 * A connected RC pair made through the connection manager: a listener on port 0, a client that resolves,
 * connects with private data, and a server that accepts with private data. Both sides are ESTABLISHED
 * when {@link #connect} returns.
 */
public final class RcPair implements AutoCloseable
{
    /** The listener. */
    public final Listener listener;
    /** The active side. */
    public final RcEndpoint client;
    /** The passive side. */
    public final RcEndpoint server;
    /** The request as the server saw it. */
    public final CmEvent connectRequest;
    /** ESTABLISHED as the client saw it (carries the accept's private data). */
    public final CmEvent clientEstablished;

    private RcPair(
        final Listener listener, final RcEndpoint client, final RcEndpoint server, final CmEvent connectRequest,
        final CmEvent clientEstablished)
    {
        this.listener = listener;
        this.client = client;
        this.server = server;
        this.connectRequest = connectRequest;
        this.clientEstablished = clientEstablished;
    }

    /**
     * Connects a pair.
     *
     * @param provider the provider.
     * @param address  the local address to listen and connect on.
     * @param spec     sizes and private data.
     * @return the established pair.
     * @throws VerbsException when a verb fails.
     */
    public static RcPair connect(final VerbsProvider provider, final InetAddress address, final PairSpec spec)
        throws VerbsException
    {
        final Listener listener = Listener.open(provider, address, 0, 16);
        RcEndpoint client = null;
        RcEndpoint server = null;
        try
        {
            client = RcEndpoint.resolve(provider, listener.address, spec);
            client.id.connect(spec.connectParameters());
            final CmEvent request = listener.awaitRequest(DEFAULT_TIMEOUT);
            server = RcEndpoint.forRequest(listener, request, spec);
            server.id.accept(spec.acceptParameters());
            final CmEvent established = client.events.await(CmEventType.ESTABLISHED, client.id, DEFAULT_TIMEOUT);
            listener.events.await(CmEventType.ESTABLISHED, server.id, DEFAULT_TIMEOUT);
            return new RcPair(listener, client, server, request, established);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            RcEndpoint.closeQuietly(client);
            RcEndpoint.closeQuietly(server);
            RcEndpoint.closeQuietly(listener);
            throw e;
        }
    }

    /** Closes client, server, then the listener; throws the first failure after trying all. */
    @Override
    public void close()
    {
        final List<Throwable> failures = new ArrayList<>();
        RcEndpoint.run(failures, client::close);
        RcEndpoint.run(failures, server::close);
        RcEndpoint.run(failures, listener::close);
        if (!failures.isEmpty())
        {
            final AssertionError e = new AssertionError("closing the pair failed: " + failures.getFirst(),
                failures.getFirst());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }
}
