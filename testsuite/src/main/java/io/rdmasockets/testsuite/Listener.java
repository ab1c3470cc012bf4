package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.PortSpace;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;

import static io.rdmasockets.testsuite.Tests.DEFAULT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listening id on its own event channel; accepted ids report to the same channel.
 */
public final class Listener implements AutoCloseable
{
    /** The channel of the listener and of every id it hands out. */
    public final CmEventQueue events;
    /** The listening id. */
    public final CmId id;
    /** Where clients connect: the bound address and the port picked. */
    public final InetSocketAddress address;

    private Listener(final CmEventQueue events, final CmId id, final InetSocketAddress address)
    {
        this.events = events;
        this.id = id;
        this.address = address;
    }

    /**
     * Binds and listens.
     *
     * @param provider the provider.
     * @param address  the local address.
     * @param port     the port, 0 for any free one.
     * @param backlog  the backlog.
     * @return the listener.
     * @throws VerbsException when a verb fails.
     */
    public static Listener open(
        final VerbsProvider provider, final InetAddress address, final int port, final int backlog)
        throws VerbsException
    {
        final CmEventQueue events = new CmEventQueue(provider.connectionManager().createEventChannel());
        CmId id = null;
        try
        {
            id = provider.connectionManager().createId(events.channel(), PortSpace.TCP, "listener");
            id.bind(new InetSocketAddress(address, port));
            id.listen(backlog);
            final InetSocketAddress local = id.localAddress();
            assertNotNull(local, "listener has no local address after bind");
            assertTrue(local.getPort() > 0, () -> "port 0 was not replaced by a free port: " + local);
            return new Listener(events, id, new InetSocketAddress(address, local.getPort()));
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            RcEndpoint.closeQuietly(id);
            RcEndpoint.closeQuietly(events);
            throw e;
        }
    }

    /**
     * @param timeout the deadline.
     * @return the next CONNECT_REQUEST.
     */
    public CmEvent awaitRequest(final Duration timeout)
    {
        return events.await(CmEventType.CONNECT_REQUEST, null, timeout);
    }

    /**
     * Takes the next request, builds the passive endpoint, accepts and waits for ESTABLISHED.
     *
     * @param spec sizes and accept private data.
     * @return the established endpoint.
     * @throws VerbsException when a verb fails.
     */
    public RcEndpoint acceptNext(final PairSpec spec) throws VerbsException
    {
        final RcEndpoint server = RcEndpoint.forRequest(this, awaitRequest(DEFAULT_TIMEOUT), spec);
        try
        {
            server.id.accept(spec.acceptParameters());
            events.await(CmEventType.ESTABLISHED, server.id, DEFAULT_TIMEOUT);
            return server;
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            RcEndpoint.closeQuietly(server);
            throw e;
        }
    }

    /** Destroys the id, then the channel. */
    @Override
    public void close() throws VerbsException
    {
        try
        {
            id.close();
        }
        finally
        {
            events.close();
        }
    }
}
