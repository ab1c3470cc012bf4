package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.verbs.VerbsException;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The calls into librdmacm. Each returns -1 with {@code errno} set on failure (captured here); the
 * control-path ones throw {@link VerbsException} naming the call.
 */
final class RdmaCm
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout PTR = ValueLayout.ADDRESS;
    /** {@code RDMA_OPTION_ID}. */
    static final int OPTION_ID = 0;
    /** {@code RDMA_OPTION_ID_REUSEADDR}. */
    static final int OPTION_ID_REUSEADDR = 1;

    private static final class Handles
    {
        static final SymbolLookup LIB = NativeLibraries.rdmacm();
        static final MethodHandle CREATE_EVENT_CHANNEL = Ffm.errnoCall(LIB, "rdma_create_event_channel",
            FunctionDescriptor.of(PTR));
        static final MethodHandle DESTROY_EVENT_CHANNEL = Ffm.call(LIB, "rdma_destroy_event_channel",
            FunctionDescriptor.ofVoid(PTR));
        static final MethodHandle CREATE_ID = Ffm.errnoCall(LIB, "rdma_create_id",
            FunctionDescriptor.of(INT, PTR, PTR, PTR, INT));
        static final MethodHandle DESTROY_ID = Ffm.errnoCall(LIB, "rdma_destroy_id", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle BIND_ADDR = Ffm.errnoCall(LIB, "rdma_bind_addr", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle LISTEN = Ffm.errnoCall(LIB, "rdma_listen", FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle RESOLVE_ADDR = Ffm.errnoCall(LIB, "rdma_resolve_addr",
            FunctionDescriptor.of(INT, PTR, PTR, PTR, INT));
        static final MethodHandle RESOLVE_ROUTE = Ffm.errnoCall(LIB, "rdma_resolve_route",
            FunctionDescriptor.of(INT, PTR, INT));
        static final MethodHandle CREATE_QP = Ffm.errnoCall(LIB, "rdma_create_qp", FunctionDescriptor.of(INT, PTR, PTR, PTR));
        static final MethodHandle DESTROY_QP = Ffm.call(LIB, "rdma_destroy_qp", FunctionDescriptor.ofVoid(PTR));
        static final MethodHandle CONNECT = Ffm.errnoCall(LIB, "rdma_connect", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle ACCEPT = Ffm.errnoCall(LIB, "rdma_accept", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle REJECT = Ffm.errnoCall(LIB, "rdma_reject",
            FunctionDescriptor.of(INT, PTR, PTR, ValueLayout.JAVA_BYTE));
        static final MethodHandle DISCONNECT = Ffm.errnoCall(LIB, "rdma_disconnect", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle GET_CM_EVENT = Ffm.errnoCall(LIB, "rdma_get_cm_event", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle ACK_CM_EVENT = Ffm.errnoCall(LIB, "rdma_ack_cm_event", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle MIGRATE_ID = Ffm.errnoCall(LIB, "rdma_migrate_id", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle SET_OPTION = Ffm.errnoCall(LIB, "rdma_set_option",
            FunctionDescriptor.of(INT, PTR, INT, INT, PTR, ValueLayout.JAVA_LONG));
    }

    private RdmaCm()
    {
    }

    static MemorySegment createEventChannel() throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            final MemorySegment channel = (MemorySegment)Handles.CREATE_EVENT_CHANNEL.invokeExact(call.state);
            if (MemorySegment.NULL.equals(channel))
            {
                throw call.failure("rdma_create_event_channel");
            }
            return channel;
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void destroyEventChannel(final MemorySegment channel)
    {
        try
        {
            Handles.DESTROY_EVENT_CHANNEL.invokeExact(channel);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static MemorySegment createId(final MemorySegment channel, final int portSpace) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            final MemorySegment out = call.arena.allocate(PTR);
            check(call, (int)Handles.CREATE_ID.invokeExact(call.state, channel, out, MemorySegment.NULL, portSpace),
                "rdma_create_id");
            return out.get(ValueLayout.ADDRESS, 0);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void destroyId(final MemorySegment id) throws VerbsException
    {
        invoke(Handles.DESTROY_ID, "rdma_destroy_id", id);
    }

    static void bindAddr(final MemorySegment id, final MemorySegment address, final String what) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.BIND_ADDR.invokeExact(call.state, id, address), "rdma_bind_addr(" + what + ")");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void listen(final MemorySegment id, final int backlog) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.LISTEN.invokeExact(call.state, id, backlog), "rdma_listen(" + backlog + ")");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void resolveAddr(final MemorySegment id, final MemorySegment source, final MemorySegment destination,
        final int timeoutMs, final String what) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.RESOLVE_ADDR.invokeExact(call.state, id, source, destination, timeoutMs),
                "rdma_resolve_addr(" + what + ")");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void resolveRoute(final MemorySegment id, final int timeoutMs) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.RESOLVE_ROUTE.invokeExact(call.state, id, timeoutMs), "rdma_resolve_route");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void createQp(final MemorySegment id, final MemorySegment pd, final MemorySegment initAttr)
        throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.CREATE_QP.invokeExact(call.state, id, pd, initAttr), "rdma_create_qp");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void destroyQp(final MemorySegment id)
    {
        try
        {
            Handles.DESTROY_QP.invokeExact(id);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void connect(final MemorySegment id, final MemorySegment param) throws VerbsException
    {
        invoke2(Handles.CONNECT, "rdma_connect", id, param);
    }

    static void accept(final MemorySegment id, final MemorySegment param) throws VerbsException
    {
        invoke2(Handles.ACCEPT, "rdma_accept", id, param);
    }

    static void reject(final MemorySegment id, final MemorySegment data, final int length) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.REJECT.invokeExact(call.state, id, data, (byte)length), "rdma_reject");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void disconnect(final MemorySegment id) throws VerbsException
    {
        invoke(Handles.DISCONNECT, "rdma_disconnect", id);
    }

    /**
     * {@code rdma_get_cm_event} on a non-blocking channel.
     *
     * @param state   errno capture.
     * @param channel the channel.
     * @param out     a pointer slot for the event.
     * @return 0 when an event was taken, otherwise the errno (EAGAIN: none ready).
     */
    static int getCmEvent(final MemorySegment state, final MemorySegment channel, final MemorySegment out)
    {
        try
        {
            final int rc = (int)Handles.GET_CM_EVENT.invokeExact(state, channel, out);
            return 0 == rc ? 0 : Math.max(1, Ffm.errno(state));
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return 0, or the errno. */
    static int ackCmEvent(final MemorySegment state, final MemorySegment event)
    {
        try
        {
            final int rc = (int)Handles.ACK_CM_EVENT.invokeExact(state, event);
            return 0 == rc ? 0 : Math.max(1, Ffm.errno(state));
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void migrateId(final MemorySegment id, final MemorySegment channel) throws VerbsException
    {
        invoke2(Handles.MIGRATE_ID, "rdma_migrate_id", id, channel);
    }

    static void setReuseAddress(final MemorySegment id, final boolean reuse) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            final MemorySegment value = call.arena.allocate(INT);
            value.set(INT, 0, reuse ? 1 : 0);
            check(call, (int)Handles.SET_OPTION.invokeExact(call.state, id, OPTION_ID, OPTION_ID_REUSEADDR, value,
                INT.byteSize()), "rdma_set_option(RDMA_OPTION_ID_REUSEADDR)");
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    private static void invoke(final MethodHandle handle, final String function, final MemorySegment id)
        throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)handle.invokeExact(call.state, id), function);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    private static void invoke2(final MethodHandle handle, final String function, final MemorySegment id,
        final MemorySegment arg) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)handle.invokeExact(call.state, id, arg), function);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    private static void check(final Ffm.Call call, final int rc, final String function) throws VerbsException
    {
        if (0 != rc)
        {
            throw Ffm.failure(function, rc > 0 ? rc : call.errno());
        }
    }
}
