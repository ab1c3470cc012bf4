package io.rdmasockets.verbs.cm;

import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;

import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A connection-manager id, as {@code struct rdma_cm_id}: the RDMA counterpart of a socket.
 *
 * <p>Active side: {@link #resolveAddress} (ADDR_RESOLVED), {@link #resolveRoute} (ROUTE_RESOLVED),
 * {@link #createQueuePair}, {@link #connect} (ESTABLISHED, or REJECTED / UNREACHABLE / CONNECT_ERROR).
 * Passive side: {@link #bind}, {@link #listen}; each CONNECT_REQUEST carries a new id on which the
 * application creates a queue pair and calls {@link #accept} (ESTABLISHED follows) or {@link #reject}.
 * Either side: {@link #disconnect} (DISCONNECTED on both; queue pairs go to ERR).
 *
 * <p>As in librdmacm, the connection manager moves the queue pair through INIT, RTR and RTS while the
 * connection is made; the queue pair must exist before {@code connect} or {@code accept}.
 *
 * <p><b>Note:</b> thread safe; events arrive on the {@link #channel()}.
 */
public interface CmId extends AutoCloseable
{
    /** @return the manager that created the id. */
    ConnectionManager manager();

    /** @return the channel the id's events go to. */
    CmEventChannel channel();

    /** @return the port space. */
    PortSpace portSpace();

    /** @return what the creator passed; for an incoming connection, the listener's. */
    Object context();

    /**
     * @return the device context the id is bound to (after {@link #bind} to a device address,
     *         {@link #resolveAddress}, or for an incoming connection), or {@code null}.
     */
    VerbsContext verbsContext();

    /**
     * @return the protection domain the provider keeps for {@link #verbsContext()} (librdmacm's
     *         default PD), or {@code null} before the id is bound to a device; never close it.
     */
    ProtectionDomain protectionDomain();

    /**
     * Binds to a local address, as {@code rdma_bind_addr}. Port 0 picks a free port.
     *
     * @param address a local address, or a wildcard address.
     * @throws VerbsException {@code EADDRINUSE}, {@code EADDRNOTAVAIL}, or {@code EINVAL} when bound.
     */
    void bind(InetSocketAddress address) throws VerbsException;

    /**
     * Starts resolving a destination, as {@code rdma_resolve_addr}; ADDR_RESOLVED or ADDR_ERROR follows.
     *
     * @param source      the local address to use, or {@code null}.
     * @param destination where to connect.
     * @param timeout     how long resolution may take.
     * @throws VerbsException when the request cannot even start (e.g. an unresolved host name).
     */
    void resolveAddress(InetSocketAddress source, InetSocketAddress destination, Duration timeout)
        throws VerbsException;

    /**
     * Starts resolving a route, as {@code rdma_resolve_route}; ROUTE_RESOLVED or ROUTE_ERROR follows.
     *
     * @param timeout how long resolution may take.
     * @throws VerbsException {@code EINVAL} before ADDR_RESOLVED.
     */
    void resolveRoute(Duration timeout) throws VerbsException;

    /**
     * Listens, as {@code rdma_listen}; binds to the wildcard address and a free port first if unbound.
     *
     * @param backlog pending connection requests to queue; more are rejected.
     * @throws VerbsException {@code EADDRINUSE} when another id listens there.
     */
    void listen(int backlog) throws VerbsException;

    /**
     * Lets plain TCP clients share this listening id's port, for a server that accepts both kinds (as
     * IBM JSOR could). A provider whose connection-manager ports are the host's TCP ports (the tcp
     * provider) tells each accepted TCP connection that does not open with a connection request apart
     * and passes it to {@code sink}; one whose ports form their own space (RDMA hardware: the RDMA CM port
     * space is separate from TCP's) returns false, and the caller listens on the TCP port itself.
     *
     * @param sink receives the plain connections, on a provider thread; it must not block.
     * @return true when this provider passes plain connections to {@code sink} from now on, false when
     *         its ports are not TCP ports.
     * @throws VerbsException {@code EINVAL} unless the id is bound.
     */
    default boolean shareTcpPort(final java.util.function.Consumer<PlainTcpConnection> sink) throws VerbsException
    {
        return false;
    }

    /**
     * Creates the id's queue pair, as {@code rdma_create_qp}. It is left in INIT, so receives can be
     * posted before {@link #connect} or {@link #accept} (rsocket posts all of them first).
     *
     * @param pd         the protection domain, or {@code null} for {@link #protectionDomain()}.
     * @param attributes sizes and completion queues (created on {@link #verbsContext()}).
     * @return the queue pair.
     * @throws VerbsException {@code EINVAL} before the id is bound to a device, or when it already has one.
     */
    QueuePair createQueuePair(ProtectionDomain pd, QueuePairInitAttributes attributes) throws VerbsException;

    /** @return the queue pair created through this id, or {@code null}. */
    QueuePair queuePair();

    /**
     * Connects, as {@code rdma_connect}, after ROUTE_RESOLVED.
     *
     * @param parameters private data (at most {@link ConnectionParameters#MAX_CONNECT_PRIVATE_DATA}) and
     *                   transport parameters.
     * @throws VerbsException {@code EINVAL} in the wrong state, without a queue pair, or with too much
     *                        private data.
     */
    void connect(ConnectionParameters parameters) throws VerbsException;

    /**
     * Accepts a CONNECT_REQUEST on the new id, as {@code rdma_accept}.
     *
     * @param parameters private data (at most {@link ConnectionParameters#MAX_ACCEPT_PRIVATE_DATA}) and
     *                   transport parameters.
     * @throws VerbsException {@code EINVAL} on an id without a pending request or queue pair;
     *                        {@code ECONNABORTED} when the requester has gone.
     */
    void accept(ConnectionParameters parameters) throws VerbsException;

    /**
     * Rejects a CONNECT_REQUEST, as {@code rdma_reject}; the requester sees REJECTED with
     * {@link CmEvent#REJECT_CONSUMER} and this private data.
     *
     * @param privateData at most {@link ConnectionParameters#MAX_REJECT_PRIVATE_DATA} bytes, or {@code null}.
     * @throws VerbsException {@code EINVAL} on an id without a pending request.
     */
    void reject(byte[] privateData) throws VerbsException;

    /**
     * Disconnects, as {@code rdma_disconnect}: the queue pair moves to ERR and both sides get DISCONNECTED.
     *
     * @throws VerbsException {@code EINVAL} when not connected.
     */
    void disconnect() throws VerbsException;

    /**
     * Moves the id to another channel, as {@code rdma_migrate_id}.
     *
     * @param channel the new channel.
     * @throws VerbsException when the channel belongs to another manager.
     */
    void migrate(CmEventChannel channel) throws VerbsException;

    /**
     * {@code rdma_set_option(RDMA_OPTION_ID_REUSEADDR)}; before bind.
     *
     * @param reuse allow binding to a port in TIME_WAIT.
     * @throws VerbsException {@code EINVAL} once bound.
     */
    void reuseAddress(boolean reuse) throws VerbsException;

    /** @return the local address, or {@code null} before bind/resolve. */
    InetSocketAddress localAddress();

    /** @return the peer's address, or {@code null} before resolve or an incoming request. */
    InetSocketAddress peerAddress();

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /**
     * Destroys the id, as {@code rdma_destroy_id}, and the queue pair created through it; a connected
     * peer sees DISCONNECTED. Closing again, or after the queue pair was closed directly, does nothing
     * more.
     *
     * @throws VerbsException when the provider fails to release it.
     */
    @Override
    void close() throws VerbsException;
}
