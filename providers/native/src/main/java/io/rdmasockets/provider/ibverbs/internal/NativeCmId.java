package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.cm.PortSpace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.time.Duration;

import static io.rdmasockets.provider.ibverbs.internal.abi.RdmaCmDescriptors.*;

/**
 * An {@code rdma_cm_id}. The calls map one to one onto librdmacm; the checks the SPI promises regardless
 * of what the kernel would say (private data sizes, a queue pair before connect and accept, accept or
 * reject only on a pending request, disconnect only after connect or accept, reuse only before bind) are
 * made here first, so a wrong call never half-changes native state.
 *
 * <p>Connection parameters go to {@code struct rdma_conn_param} as given; C rsocket's (flow control 1,
 * retry 7, RNR retry 7, no RDMA reads) come from the engine's
 * {@link ConnectionParameters#rsocketDefaults}, so REQ and REP meet C peers unchanged.
 *
 * <p>On DISCONNECTED the queue pair is moved to ERR, as the kernel does for its own queue pairs and the
 * SPI promises: outstanding work flushes at once instead of waiting out transport retries.
 */
final class NativeCmId implements CmId
{
    private static final long SOCKADDR_STORAGE = 128;

    private final NativeConnectionManager manager;
    private final MemorySegment id;
    private final long address;
    private final PortSpace portSpace;
    private final Object context;
    private final boolean incoming;
    private volatile NativeCmEventChannel channel;
    private volatile NativeQueuePair qp;
    private volatile boolean connecting;
    private boolean disconnecting;
    private boolean bound;
    private boolean answered;
    private boolean closed;

    NativeCmId(final NativeConnectionManager manager, final NativeCmEventChannel channel, final PortSpace portSpace,
        final Object context, final MemorySegment id, final boolean incoming)
    {
        this.manager = manager;
        this.channel = channel;
        this.portSpace = portSpace;
        this.context = context;
        this.id = id.reinterpret(CM_ID.byteSize());
        this.address = id.address();
        this.incoming = incoming;
        this.bound = incoming;
    }

    long address()
    {
        return address;
    }

    @Override
    public ConnectionManager manager()
    {
        return manager;
    }

    @Override
    public CmEventChannel channel()
    {
        return channel;
    }

    @Override
    public PortSpace portSpace()
    {
        return portSpace;
    }

    @Override
    public Object context()
    {
        return context;
    }

    @Override
    public synchronized VerbsContext verbsContext()
    {
        return closed ? null : nativeContext();
    }

    private NativeContext nativeContext()
    {
        final MemorySegment verbs = id.get(ValueLayout.ADDRESS, CM_ID_VERBS);
        if (MemorySegment.NULL.equals(verbs))
        {
            return null;
        }
        try
        {
            return manager.contextOf(verbs);
        }
        catch (final VerbsException e)
        {
            throw new IllegalStateException("the device librdmacm bound the id to cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized ProtectionDomain protectionDomain()
    {
        final NativeContext ctx = closed ? null : nativeContext();
        try
        {
            return null == ctx ? null : ctx.defaultProtectionDomain();
        }
        catch (final VerbsException e)
        {
            throw new IllegalStateException("no default protection domain: " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void bind(final InetSocketAddress address) throws VerbsException
    {
        checkOpen();
        if (bound)
        {
            throw new VerbsException(Errno.EINVAL, "bind " + address + ": id already bound");
        }
        checkResolved(address, "bind");
        try (Arena arena = Arena.ofConfined())
        {
            RdmaCm.bindAddr(id, SockAddr.of(address, arena), address.toString());
        }
        bound = true;
    }

    @Override
    public synchronized void resolveAddress(final InetSocketAddress source, final InetSocketAddress destination,
        final Duration timeout) throws VerbsException
    {
        checkOpen();
        checkResolved(destination, "resolveAddress");
        if (null != source)
        {
            checkResolved(source, "resolveAddress");
        }
        try (Arena arena = Arena.ofConfined())
        {
            RdmaCm.resolveAddr(id, null == source ? MemorySegment.NULL : SockAddr.of(source, arena),
                SockAddr.of(destination, arena), millis(timeout), destination.toString());
        }
        bound = true;
    }

    @Override
    public synchronized void resolveRoute(final Duration timeout) throws VerbsException
    {
        checkOpen();
        // librdmacm reads id->verbs->device unchecked here: without a resolved address it would crash.
        if (MemorySegment.NULL.equals(id.get(ValueLayout.ADDRESS, CM_ID_VERBS)))
        {
            throw new VerbsException(Errno.EINVAL, "resolveRoute before ADDR_RESOLVED");
        }
        RdmaCm.resolveRoute(id, millis(timeout));
    }

    @Override
    public synchronized void listen(final int backlog) throws VerbsException
    {
        checkOpen();
        RdmaCm.listen(id, backlog);
        bound = true;
    }

    @Override
    public synchronized QueuePair createQueuePair(final ProtectionDomain pd, final QueuePairInitAttributes attributes)
        throws VerbsException
    {
        checkOpen();
        final NativeQueuePair existing = qp;
        if (null != existing && existing.isOpen())
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: the id has a queue pair already");
        }
        final NativeContext ctx = nativeContext();
        if (null == ctx)
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: the id is not bound to a device yet " +
                "(resolve the address first, or take it from a CONNECT_REQUEST)");
        }
        final NativeProtectionDomain domain;
        if (null == pd)
        {
            domain = ctx.defaultProtectionDomain();
        }
        else if (pd instanceof NativeProtectionDomain n && n.nativeContext() == ctx)
        {
            domain = n;
        }
        else
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: protection domain of another device context: " + pd);
        }
        final NativeQueuePair created = NativeQueuePair.create(domain, attributes, this);
        qp = created;
        return created;
    }

    /** {@code rdma_create_qp}, for {@link NativeQueuePair#create}. @return {@code id->qp}. */
    MemorySegment createNativeQp(final NativeProtectionDomain pd, final MemorySegment initAttr) throws VerbsException
    {
        RdmaCm.createQp(id, pd.pointer(), initAttr);
        return id.get(ValueLayout.ADDRESS, CM_ID_QP);
    }

    /** {@code rdma_destroy_qp}, for {@link NativeQueuePair#close()}; the id outlives its queue pair. */
    void destroyNativeQp()
    {
        RdmaCm.destroyQp(id);
    }

    @Override
    public QueuePair queuePair()
    {
        return qp;
    }

    @Override
    public synchronized void connect(final ConnectionParameters parameters) throws VerbsException
    {
        checkOpen();
        checkPrivateData(parameters.privateDataLength(), ConnectionParameters.MAX_CONNECT_PRIVATE_DATA, "connect");
        checkQueuePair("connect");
        try (Arena arena = Arena.ofConfined())
        {
            RdmaCm.connect(id, connParam(parameters, arena));
        }
        connecting = true;
    }

    @Override
    public synchronized void accept(final ConnectionParameters parameters) throws VerbsException
    {
        checkOpen();
        checkPrivateData(parameters.privateDataLength(), ConnectionParameters.MAX_ACCEPT_PRIVATE_DATA, "accept");
        checkPending("accept");
        checkQueuePair("accept");
        try (Arena arena = Arena.ofConfined())
        {
            RdmaCm.accept(id, connParam(parameters, arena));
        }
        answered = true;
        connecting = true;
    }

    @Override
    public synchronized void reject(final byte[] privateData) throws VerbsException
    {
        checkOpen();
        final int length = null == privateData ? 0 : privateData.length;
        checkPrivateData(length, ConnectionParameters.MAX_REJECT_PRIVATE_DATA, "reject");
        checkPending("reject");
        try (Arena arena = Arena.ofConfined())
        {
            RdmaCm.reject(id, 0 == length ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_BYTE, privateData),
                length);
        }
        answered = true;
    }

    @Override
    public synchronized void disconnect() throws VerbsException
    {
        checkOpen();
        if (!connecting)
        {
            throw new VerbsException(Errno.EINVAL, "disconnect: not connected");
        }
        disconnecting = true;
        RdmaCm.disconnect(id);
    }

    @Override
    public synchronized void migrate(final CmEventChannel to) throws VerbsException
    {
        checkOpen();
        final NativeCmEventChannel target = manager.channelOf(to, "migrate");
        final NativeCmEventChannel from = channel;
        if (target == from)
        {
            return;
        }
        target.children().add();
        try
        {
            RdmaCm.migrateId(id, target.pointer());
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            target.children().remove();
            throw e;
        }
        channel = target;
        from.children().remove();
    }

    @Override
    public synchronized void reuseAddress(final boolean reuse) throws VerbsException
    {
        checkOpen();
        if (bound)
        {
            throw new VerbsException(Errno.EINVAL, "reuseAddress after bind");
        }
        RdmaCm.setReuseAddress(id, reuse);
    }

    @Override
    public synchronized InetSocketAddress localAddress()
    {
        return closed ? null : SockAddr.read(id.asSlice(CM_ID_SRC_ADDR, SOCKADDR_STORAGE));
    }

    @Override
    public synchronized InetSocketAddress peerAddress()
    {
        return closed ? null : SockAddr.read(id.asSlice(CM_ID_DST_ADDR, SOCKADDR_STORAGE));
    }

    @Override
    public synchronized boolean isOpen()
    {
        return !closed;
    }

    /**
     * Called by the channel after an event for this id was taken and acknowledged (so a concurrent
     * {@code rdma_destroy_id}, which waits for acknowledgements, has finished or will not start before
     * this returns).
     *
     * <p>DISCONNECTED: librdmacm leaves a user queue pair as it is, so it is moved to ERR here (outstanding
     * work flushes at once). When the peer disconnected first, its DREQ is answered with {@code
     * rdma_disconnect} (a DREP) right away, as a C peer does when it closes: otherwise the peer would see
     * its DISCONNECTED only when its DREQ times out.
     */
    synchronized void onEvent(final CmEventType type)
    {
        if (closed || CmEventType.DISCONNECTED != type)
        {
            return;
        }
        final NativeQueuePair q = qp;
        if (null != q)
        {
            q.toError();
        }
        if (connecting && !disconnecting)
        {
            try
            {
                RdmaCm.disconnect(id);
            }
            catch (final VerbsException ignore)
            {
                // The connection is gone either way; the kernel may have moved on (DREQ timed out).
            }
        }
        connecting = false;
        disconnecting = true;
    }

    /** Closes after a failure that is being reported, or when nobody will ever see the id. */
    void closeQuietly()
    {
        try
        {
            close();
        }
        catch (final VerbsException | RuntimeException e)
        {
            System.getLogger(NativeCmId.class.getName()).log(System.Logger.Level.WARNING, "closing " + this, e);
        }
    }

    @Override
    public void close() throws VerbsException
    {
        final NativeCmEventChannel ch;
        synchronized (this)
        {
            if (closed)
            {
                return;
            }

            final NativeQueuePair q = qp;
            if (null != q)
            {
                q.close();
            }
            // Waits until every event of the id is acknowledged: the channel acknowledges as it takes.
            RdmaCm.destroyId(id);
            closed = true;
            ch = channel;
        }
        manager.forget(this);
        if (!incoming)
        {
            // A listener's requests the poller took before the destroy but the application never saw.
            // Outside this id's lock: the poller holds the channel's lock while it waits for id locks.
            ch.dropRequestsFor(this);
        }
        ch.children().remove();
    }

    private void checkOpen() throws VerbsException
    {
        if (closed)
        {
            throw new VerbsException(Errno.EBADF, "id is closed");
        }
    }

    private void checkQueuePair(final String what) throws VerbsException
    {
        final NativeQueuePair q = qp;
        if (null == q || !q.isOpen())
        {
            throw new VerbsException(Errno.EINVAL, what + ": create the queue pair first");
        }
    }

    private void checkPending(final String what) throws VerbsException
    {
        if (!incoming || answered)
        {
            throw new VerbsException(Errno.EINVAL, what + ": no pending connect request on this id");
        }
    }

    private static void checkPrivateData(final int length, final int max, final String what) throws VerbsException
    {
        if (length > max)
        {
            throw new VerbsException(Errno.EINVAL, what + ": private data of " + length + " bytes, at most " + max);
        }
    }

    private static void checkResolved(final InetSocketAddress address, final String what) throws VerbsException
    {
        if (null == address || address.isUnresolved())
        {
            throw new VerbsException(Errno.EADDRNOTAVAIL, what + ": unresolved address " + address);
        }
    }

    private static int millis(final Duration timeout)
    {
        return (int)Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    }

    /** {@code struct rdma_conn_param}, as given (srq 0; qp_num is ignored with a queue pair). */
    private static MemorySegment connParam(final ConnectionParameters p, final Arena arena)
    {
        final MemorySegment param = arena.allocate(CONN_PARAM);
        final byte[] data = p.privateData();
        param.set(ValueLayout.ADDRESS, CONN_PRIVATE_DATA,
            0 == data.length ? MemorySegment.NULL : arena.allocateFrom(ValueLayout.JAVA_BYTE, data));
        param.set(ValueLayout.JAVA_BYTE, CONN_PRIVATE_DATA_LEN, (byte)data.length);
        param.set(ValueLayout.JAVA_BYTE, CONN_RESPONDER_RESOURCES, (byte)p.responderResources());
        param.set(ValueLayout.JAVA_BYTE, CONN_INITIATOR_DEPTH, (byte)p.initiatorDepth());
        param.set(ValueLayout.JAVA_BYTE, CONN_FLOW_CONTROL, (byte)(p.flowControl() ? 1 : 0));
        param.set(ValueLayout.JAVA_BYTE, CONN_RETRY_COUNT, (byte)p.retryCount());
        param.set(ValueLayout.JAVA_BYTE, CONN_RNR_RETRY_COUNT, (byte)p.rnrRetryCount());
        return param;
    }

    @Override
    public String toString()
    {
        return "NativeCmId[0x" + Long.toHexString(address) + (incoming ? ", incoming" : "") + "]";
    }
}
