package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.ConnectionParameters;
import io.rdmasockets.verbs.support.ChildCount;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.provider.ibverbs.internal.abi.RdmaCmDescriptors.*;

/**
 * An event channel, {@code struct rdma_event_channel}, its descriptor non-blocking and watched by the
 * {@link FdPoller}, which takes each event as it arrives ({@link EventSource} in eager mode): {@code
 * rdma_get_cm_event}, the event copied out (ids as the application's objects, private data into the
 * {@link ConnectionParameters}), acknowledged at once (so {@code rdma_destroy_id} and {@code
 * rdma_migrate_id}, which wait for acknowledgements, never wait on us), what it implies done (see
 * {@link NativeCmId#onEvent}), and queued for the application.
 */
final class NativeCmEventChannel implements CmEventChannel
{
    private static final System.Logger LOG = System.getLogger(NativeCmEventChannel.class.getName());
    private static final CmEventType[] TYPES = CmEventType.values();

    private final NativeConnectionManager manager;
    private final MemorySegment channel;
    private final ChildCount children = new ChildCount("event channel");
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(Ffm.CALL_STATE);
    private final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
    private final EventSource<CmEvent> source;

    NativeCmEventChannel(final NativeConnectionManager manager, final MemorySegment channel) throws VerbsException
    {
        this.manager = manager;
        this.channel = channel;
        final int fd = channel.reinterpret(EVENT_CHANNEL.byteSize()).get(ValueLayout.JAVA_INT, EVENT_CHANNEL_FD);
        try
        {
            source = new EventSource<>("rdma_cm event channel", fd, this::take, true);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            arena.close();
            throw e;
        }
    }

    NativeConnectionManager manager()
    {
        return manager;
    }

    MemorySegment pointer()
    {
        return channel;
    }

    ChildCount children()
    {
        return children;
    }

    /** The non-blocking {@code rdma_get_cm_event}, with the source's lock held. */
    private CmEvent take()
    {
        while (true)
        {
            final int errno = RdmaCm.getCmEvent(state, channel, out);
            if (0 != errno)
            {
                if (Errno.EAGAIN.code() != errno)
                {
                    LOG.log(System.Logger.Level.ERROR, "rdma_get_cm_event: " + Errno.nameOf(errno));
                }
                return null;
            }
            final MemorySegment event = out.get(ValueLayout.ADDRESS, 0).reinterpret(EVENT.byteSize());
            final CmEvent converted;
            try
            {
                final int type = event.get(ValueLayout.JAVA_INT, EVENT_EVENT);
                // An event type the SPI does not know was never asked for: skip it.
                converted = type >= 0 && type < TYPES.length ? convert(TYPES[type], event) : null;
            }
            finally
            {
                final int ackErrno = RdmaCm.ackCmEvent(state, event);
                if (0 != ackErrno)
                {
                    LOG.log(System.Logger.Level.ERROR, "rdma_ack_cm_event: " + Errno.nameOf(ackErrno));
                }
            }
            if (null != converted)
            {
                ((NativeCmId)converted.id()).onEvent(converted.type());
                return converted;
            }
        }
    }

    private CmEvent convert(final CmEventType type, final MemorySegment event)
    {
        final int status = event.get(ValueLayout.JAVA_INT, EVENT_STATUS);
        final MemorySegment idPointer = event.get(ValueLayout.ADDRESS, EVENT_ID);
        if (CmEventType.CONNECT_REQUEST == type)
        {
            final NativeCmId listener = manager.lookup(event.get(ValueLayout.JAVA_LONG, EVENT_LISTEN_ID));
            final NativeCmId id = null == listener ? null : manager.incoming(idPointer, this, listener);
            if (null == id)
            {
                // Nobody to hand it to: refuse it rather than leave a half-open connection behind.
                NativeContext.destroyQuietly(() -> RdmaCm.destroyId(idPointer));
                return null;
            }
            return new CmEvent(type, id, listener, status, parameters(event));
        }
        final NativeCmId id = manager.lookup(idPointer.address());
        if (null == id)
        {
            return null;
        }
        final ConnectionParameters parameters = switch (type)
        {
            case ESTABLISHED, REJECTED, DISCONNECTED, CONNECT_RESPONSE -> parameters(event);
            default -> null;
        };
        return new CmEvent(type, id, null, status, parameters);
    }

    /** {@code event->param.conn}, private data copied. */
    private static ConnectionParameters parameters(final MemorySegment event)
    {
        final MemorySegment conn = event.asSlice(EVENT_CONN, CONN_PARAM.byteSize());
        final int length = conn.get(ValueLayout.JAVA_BYTE, CONN_PRIVATE_DATA_LEN) & 0xFF;
        final MemorySegment data = conn.get(ValueLayout.ADDRESS, CONN_PRIVATE_DATA);
        final byte[] privateData = MemorySegment.NULL.equals(data) || 0 == length
            ? new byte[0] : data.reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
        return new ConnectionParameters(privateData,
            conn.get(ValueLayout.JAVA_BYTE, CONN_RESPONDER_RESOURCES) & 0xFF,
            conn.get(ValueLayout.JAVA_BYTE, CONN_INITIATOR_DEPTH) & 0xFF,
            0 != conn.get(ValueLayout.JAVA_BYTE, CONN_FLOW_CONTROL),
            Math.min(7, conn.get(ValueLayout.JAVA_BYTE, CONN_RETRY_COUNT) & 0xFF),
            Math.min(7, conn.get(ValueLayout.JAVA_BYTE, CONN_RNR_RETRY_COUNT) & 0xFF));
    }

    @Override
    public CmEvent awaitEvent(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return source.await(timeout, unit);
    }

    @Override
    public boolean hasEvent()
    {
        return source.hasEvent();
    }

    @Override
    public void wakeup()
    {
        source.wakeup();
    }

    @Override
    public void readyListener(final Runnable listener)
    {
        source.listener(listener);
    }

    @Override
    public boolean isOpen()
    {
        return children.isOpen();
    }

    /**
     * Refuses the connect requests for a listener that closes which nobody took yet: their ids exist
     * already (the poller took the events), and destroying them rejects the requesters.
     *
     * @param listener the listening id being destroyed.
     */
    void dropRequestsFor(final NativeCmId listener)
    {
        for (final CmEvent request : source.removeQueued(e -> e.listenId() == listener))
        {
            ((NativeCmId)request.id()).closeQuietly();
        }
    }

    @Override
    public void close() throws VerbsException
    {
        // Closed for new ids first, then released: the take path adds incoming ids under the source's lock.
        if (children.close(() -> { }))
        {
            // Ids are all closed (children), so what is left queued names only destroyed ids.
            source.close();
            RdmaCm.destroyEventChannel(channel);
            arena.close();
        }
    }

    @Override
    public String toString()
    {
        return "NativeCmEventChannel[" + (children.isOpen() ? "open" : "closed") + "]";
    }
}
