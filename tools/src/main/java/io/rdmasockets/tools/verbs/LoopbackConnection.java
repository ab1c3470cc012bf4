package io.rdmasockets.tools.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PortSpace;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A client and a server endpoint in one process, connected on loopback through the provider's
 * connection manager the way librdmacm applications do it: listen; resolve address and route; create
 * the queue pair and register memory; connect and accept, each side sending its region
 * ({@link RemoteRegion}) as private data. The server side runs on its own thread while connecting, so a
 * provider whose connect blocks until the accept still works.
 */
public final class LoopbackConnection implements AutoCloseable
{
    /** How long each connection-manager step may take. */
    public static final Duration STEP_TIMEOUT = Duration.ofSeconds(5);

    private final Endpoint client = new Endpoint("client");
    private final Endpoint server = new Endpoint("server");
    private final Consumer<String> log;
    private CmEventChannel listenChannel;
    private CmId listenId;
    private int port;

    /**
     * What both endpoints are created with.
     *
     * @param regionSize      bytes of the registered region of each side.
     * @param access          its {@link io.rdmasockets.verbs.Access} flags.
     * @param sendDepth       send queue depth.
     * @param recvDepth       receive queue depth.
     * @param initialReceives receives without scatter/gather entries (for RDMA_WRITE_WITH_IMM) posted on
     *                        both sides once connected; their wr_id is their index.
     * @param readDepth       outstanding RDMA reads each side wants to issue and answer (capped by the device).
     */
    public record Spec(long regionSize, int access, int sendDepth, int recvDepth, int initialReceives, int readDepth)
    {
    }

    private LoopbackConnection(final Consumer<String> log)
    {
        this.log = log;
    }

    /**
     * Listens on {@code 127.0.0.1:port}, connects to it and returns when both sides are ESTABLISHED.
     *
     * @param provider an available provider.
     * @param port     the port to listen on; 0 for any free one.
     * @param spec     what both sides are created with.
     * @param log      receives one line per step (for the demo's narrative), from two threads.
     * @return the connection; close it.
     * @throws VerbsException when a verb fails.
     * @throws ToolException  when the connection manager reports an unexpected event or times out.
     */
    public static LoopbackConnection open(
        final VerbsProvider provider, final int port, final Spec spec, final Consumer<String> log)
        throws VerbsException
    {
        final LoopbackConnection c = new LoopbackConnection(log);
        c.client.provider = provider;
        c.server.provider = provider;
        try
        {
            c.connect(provider.connectionManager(), port, spec);
            return c;
        }
        catch (final VerbsException | RuntimeException ex)
        {
            c.closeAll(ex);
            throw ex;
        }
    }

    /** @return the active side. */
    public Endpoint client()
    {
        return client;
    }

    /** @return the passive side. */
    public Endpoint server()
    {
        return server;
    }

    /** @return the port the server listens on. */
    public int port()
    {
        return port;
    }

    private void connect(final ConnectionManager cm, final int requestedPort, final Spec spec)
        throws VerbsException
    {
        final InetAddress loopback = InetAddress.getLoopbackAddress();
        listenChannel = cm.createEventChannel();
        listenId = cm.createId(listenChannel, PortSpace.TCP, "rsock-listener");
        listenId.bind(new InetSocketAddress(loopback, requestedPort));
        listenId.listen(1);
        port = listenId.localAddress().getPort();
        log.accept("server: listening on " + loopback.getHostAddress() + ":" + port + " (rdma_listen)");

        final FutureTask<Void> accept = new FutureTask<>(() ->
        {
            acceptOne(spec);
            return null;
        });
        Thread.ofPlatform().daemon().name("rsock-server-accept").start(accept);

        client.channel = cm.createEventChannel();
        client.id = cm.createId(client.channel, PortSpace.TCP, "rsock-client");
        client.id.resolveAddress(null, new InetSocketAddress(loopback, port), STEP_TIMEOUT);
        expect(client.channel, CmEventType.ADDR_RESOLVED, "client");
        client.id.resolveRoute(STEP_TIMEOUT);
        expect(client.channel, CmEventType.ROUTE_RESOLVED, "client");
        final VerbsContext context = client.id.verbsContext();
        log.accept("client: address and route resolved to device " + context.device().name());
        createResources(client, context, spec);
        final ConnectionParameters params = parameters(context, spec, RemoteRegion.of(client.mr).encode());
        log.accept("client: connecting with private data {" + RemoteRegion.of(client.mr) + "} (rdma_connect)");
        client.id.connect(params);
        final CmEvent established = expect(client.channel, CmEventType.ESTABLISHED, "client");
        client.peer = RemoteRegion.decode(established.privateData());
        log.accept("client: ESTABLISHED; server's private data {" + client.peer + "}");
        awaitServer(accept);
        postInitialReceives(client, spec);
    }

    private void acceptOne(final Spec spec) throws VerbsException
    {
        final CmEvent request = expect(listenChannel, CmEventType.CONNECT_REQUEST, "server");
        server.id = request.id();
        server.peer = RemoteRegion.decode(request.privateData());
        log.accept("server: CONNECT_REQUEST from " + server.id.peerAddress() + " with private data {" +
            server.peer + "}");
        final VerbsContext context = server.id.verbsContext();
        createResources(server, context, spec);
        log.accept("server: accepting with private data {" + RemoteRegion.of(server.mr) + "} (rdma_accept)");
        server.id.accept(parameters(context, spec, RemoteRegion.of(server.mr).encode()));
        expect(listenChannel, CmEventType.ESTABLISHED, "server");
        log.accept("server: ESTABLISHED");
        postInitialReceives(server, spec);
    }

    private void awaitServer(final FutureTask<Void> accept) throws VerbsException
    {
        try
        {
            accept.get(STEP_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof VerbsException v)
            {
                throw v;
            }
            if (ex.getCause() instanceof RuntimeException r)
            {
                throw r;
            }
            throw new ToolException("server: " + ex.getCause(), ex.getCause());
        }
        catch (final TimeoutException ex)
        {
            accept.cancel(true);
            throw new ToolException("server: accept did not finish within " + STEP_TIMEOUT.toSeconds() * 2 + " s");
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted while connecting", ex);
        }
    }

    private void createResources(final Endpoint e, final VerbsContext context, final Spec spec)
        throws VerbsException
    {
        e.cq = context.createCompletionQueue(spec.sendDepth() + spec.recvDepth(), null, 0);
        e.qp = e.id.createQueuePair(null, QueuePairInitAttributes.rc(e.cq, spec.sendDepth(), spec.recvDepth()));
        e.mr = e.id.protectionDomain().registerMemory(e.arena().allocate(spec.regionSize(), 4096), spec.access());
        log.accept(String.format("%s: QP %d created; registered %d bytes with %s: lkey=0x%08x rkey=0x%08x",
            e.role(), e.qp.qpNumber(), e.mr.length(), Access.toString(e.mr.access()),
            e.mr.lkey(), e.mr.rkey()));
    }

    private static ConnectionParameters parameters(final VerbsContext context, final Spec spec, final byte[] data)
        throws VerbsException
    {
        final DeviceAttributes a = context.queryDevice();
        final int reads = Math.max(0, Math.min(spec.readDepth(), Math.min(a.maxQpRdAtom(), a.maxQpInitRdAtom())));
        return new ConnectionParameters(data, reads, reads, true, 7, ConnectionParameters.RNR_RETRY_INFINITE);
    }

    private static void postInitialReceives(final Endpoint e, final Spec spec)
    {
        final ReceiveWorkRequest wr = new ReceiveWorkRequest(1);
        for (int i = 0; i < spec.initialReceives(); i++)
        {
            final int rc = e.qp.postReceive(wr.reset().wrId(i));
            if (0 != rc)
            {
                throw new ToolException(e.role() + ": postReceive failed: " +
                    Errno.nameOf(rc));
            }
        }
    }

    /**
     * Waits for the next event on a channel and checks its type.
     *
     * @param channel the channel.
     * @param type    the expected type.
     * @param role    "client" or "server", for messages.
     * @return the event.
     * @throws ToolException on another event, a failed one, or a timeout.
     */
    public static CmEvent expect(final CmEventChannel channel, final CmEventType type, final String role)
    {
        final CmEvent event;
        try
        {
            event = channel.awaitEvent(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new ToolException(role + ": interrupted while waiting for " + type, ex);
        }
        if (null == event)
        {
            throw new ToolException(role + ": no " + type + " event within " + STEP_TIMEOUT.toSeconds() + " s");
        }
        if (event.type() != type)
        {
            throw new ToolException(role + ": expected " + type + ", got " + event.type() + " (status " +
                (event.status() < 0 ? Errno.nameOf(event.status()) : event.status()) + ")");
        }
        return event;
    }

    /**
     * Disconnects from the client side and waits for DISCONNECTED on both sides.
     *
     * @return true when both sides saw DISCONNECTED.
     * @throws VerbsException when rdma_disconnect fails.
     */
    public boolean disconnect() throws VerbsException
    {
        client.id.disconnect();
        boolean both = true;
        try
        {
            expect(client.channel, CmEventType.DISCONNECTED, "client");
            log.accept("client: DISCONNECTED");
        }
        catch (final ToolException ex)
        {
            log.accept(ex.getMessage());
            both = false;
        }
        try
        {
            expect(listenChannel, CmEventType.DISCONNECTED, "server");
            log.accept("server: DISCONNECTED");
        }
        catch (final ToolException ex)
        {
            log.accept(ex.getMessage());
            both = false;
        }
        return both;
    }

    /**
     * Releases everything: ids (and their queue pairs), queues, regions, channels, memory.
     *
     * @throws VerbsException when a verb fails to release a resource.
     */
    @Override
    public void close() throws VerbsException
    {
        final Throwable failure = closeAll(null);
        if (failure instanceof VerbsException v)
        {
            throw v;
        }
        if (failure instanceof RuntimeException r)
        {
            throw r;
        }
        if (null != failure)
        {
            throw new ToolException("close failed: " + failure, failure);
        }
    }

    private Throwable closeAll(final Throwable failure)
    {
        Throwable f = client.close(failure);
        f = server.close(f);
        f = Endpoint.closeQuietly(listenId, f);
        return Endpoint.closeQuietly(listenChannel, f);
    }
}
