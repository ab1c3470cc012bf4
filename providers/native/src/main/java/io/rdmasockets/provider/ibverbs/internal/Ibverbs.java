package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The control-path calls into libibverbs, each a downcall created once that captures {@code errno}
 * ({@link java.lang.foreign.Linker.Option#captureCallState}) so no later JVM call can clobber it. Failures
 * become {@link VerbsException}s naming the function and the errno. The data path lives in {@link VerbsOps}.
 */
final class Ibverbs
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final AddressLayout PTR = ValueLayout.ADDRESS;
    /** A {@code char *} that may be read as a C string (up to the JDK's limit). */
    private static final AddressLayout C_STRING = ValueLayout.ADDRESS.withTargetLayout(
        MemoryLayout.sequenceLayout(4096, ValueLayout.JAVA_BYTE));

    private static final class Handles
    {
        static final SymbolLookup LIB = NativeLibraries.ibverbs();
        static final MethodHandle GET_DEVICE_LIST = Ffm.errnoCall(LIB, "ibv_get_device_list", FunctionDescriptor.of(PTR, PTR));
        static final MethodHandle FREE_DEVICE_LIST = Ffm.call(LIB, "ibv_free_device_list", FunctionDescriptor.ofVoid(PTR));
        static final MethodHandle GET_DEVICE_NAME = Ffm.call(LIB, "ibv_get_device_name", FunctionDescriptor.of(C_STRING, PTR));
        static final MethodHandle GET_DEVICE_GUID = Ffm.call(LIB, "ibv_get_device_guid",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, PTR));
        static final MethodHandle OPEN_DEVICE = Ffm.errnoCall(LIB, "ibv_open_device", FunctionDescriptor.of(PTR, PTR));
        static final MethodHandle CLOSE_DEVICE = Ffm.errnoCall(LIB, "ibv_close_device", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle QUERY_DEVICE = Ffm.errnoCall(LIB, "ibv_query_device", FunctionDescriptor.of(INT, PTR, PTR));
        static final MethodHandle QUERY_PORT = Ffm.errnoCall(LIB, "ibv_query_port",
            FunctionDescriptor.of(INT, PTR, ValueLayout.JAVA_BYTE, PTR));
        static final MethodHandle ALLOC_PD = Ffm.errnoCall(LIB, "ibv_alloc_pd", FunctionDescriptor.of(PTR, PTR));
        static final MethodHandle DEALLOC_PD = Ffm.errnoCall(LIB, "ibv_dealloc_pd", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle REG_MR = Ffm.errnoCall(LIB, "ibv_reg_mr",
            FunctionDescriptor.of(PTR, PTR, PTR, ValueLayout.JAVA_LONG, INT));
        static final MethodHandle DEREG_MR = Ffm.errnoCall(LIB, "ibv_dereg_mr", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle CREATE_COMP_CHANNEL = Ffm.errnoCall(LIB, "ibv_create_comp_channel",
            FunctionDescriptor.of(PTR, PTR));
        static final MethodHandle DESTROY_COMP_CHANNEL = Ffm.errnoCall(LIB, "ibv_destroy_comp_channel",
            FunctionDescriptor.of(INT, PTR));
        static final MethodHandle CREATE_CQ = Ffm.errnoCall(LIB, "ibv_create_cq",
            FunctionDescriptor.of(PTR, PTR, INT, PTR, PTR, INT));
        static final MethodHandle DESTROY_CQ = Ffm.errnoCall(LIB, "ibv_destroy_cq", FunctionDescriptor.of(INT, PTR));
        static final MethodHandle GET_CQ_EVENT = Ffm.errnoCall(LIB, "ibv_get_cq_event",
            FunctionDescriptor.of(INT, PTR, PTR, PTR));
        static final MethodHandle ACK_CQ_EVENTS = Ffm.call(LIB, "ibv_ack_cq_events", FunctionDescriptor.ofVoid(PTR, INT));
        static final MethodHandle CREATE_QP = Ffm.errnoCall(LIB, "ibv_create_qp", FunctionDescriptor.of(PTR, PTR, PTR));
        static final MethodHandle MODIFY_QP = Ffm.errnoCall(LIB, "ibv_modify_qp", FunctionDescriptor.of(INT, PTR, PTR, INT));
        static final MethodHandle QUERY_QP = Ffm.errnoCall(LIB, "ibv_query_qp",
            FunctionDescriptor.of(INT, PTR, PTR, INT, PTR));
        static final MethodHandle DESTROY_QP = Ffm.errnoCall(LIB, "ibv_destroy_qp", FunctionDescriptor.of(INT, PTR));
    }

    private Ibverbs()
    {
    }

    /** A device as {@code ibv_get_device_list} lists it. */
    record DeviceEntry(String name, long guid)
    {
    }

    /** What to do with one {@code struct ibv_device *} while the list is held. */
    interface DeviceVisitor<R>
    {
        /** @return a result to stop at, or {@code null} to go on. */
        R visit(String name, MemorySegment device) throws VerbsException;
    }

    /**
     * {@code ibv_get_device_list}, copied out and freed at once.
     *
     * @return the devices.
     * @throws NativeCallException with the errno when the list cannot be read (ENOSYS: no RDMA in the kernel).
     */
    static List<DeviceEntry> deviceList() throws NativeCallException
    {
        final List<DeviceEntry> entries = new ArrayList<>();
        try
        {
            withDevices((name, device) ->
            {
                entries.add(new DeviceEntry(name, deviceGuid(device)));
                return null;
            });
        }
        catch (final VerbsException e)
        {
            throw new NativeCallException("ibv_get_device_list", e.errno());
        }
        return entries;
    }

    /**
     * Walks the device list, freeing it afterwards: a device must be opened while the list is held.
     *
     * @param visitor called per device until it returns non-null.
     * @param <R>     the result type.
     * @return the first non-null result, or {@code null}.
     * @throws VerbsException when the list cannot be read, or as the visitor throws.
     */
    static <R> R withDevices(final DeviceVisitor<R> visitor) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            final MemorySegment num = call.arena.allocate(INT);
            final MemorySegment list = (MemorySegment)Handles.GET_DEVICE_LIST.invokeExact(call.state, num);
            if (MemorySegment.NULL.equals(list))
            {
                throw call.failure("ibv_get_device_list");
            }
            try
            {
                final int n = num.get(INT, 0);
                final MemorySegment devices = list.reinterpret(PTR.byteSize() * n);
                for (int i = 0; i < n; i++)
                {
                    final MemorySegment device = devices.getAtIndex(PTR, i);
                    final R r = visitor.visit(deviceName(device), device);
                    if (null != r)
                    {
                        return r;
                    }
                }
                return null;
            }
            finally
            {
                Handles.FREE_DEVICE_LIST.invokeExact(list);
            }
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

    static String deviceName(final MemorySegment device)
    {
        try
        {
            final MemorySegment name = (MemorySegment)Handles.GET_DEVICE_NAME.invokeExact(device);
            return MemorySegment.NULL.equals(name) ? "?" : name.getString(0);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return the node GUID in host order (libibverbs gives it as {@code __be64}). */
    static long deviceGuid(final MemorySegment device)
    {
        try
        {
            return Long.reverseBytes((long)Handles.GET_DEVICE_GUID.invokeExact(device));
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static MemorySegment openDevice(final MemorySegment device, final String name) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            return nonNull(call, (MemorySegment)Handles.OPEN_DEVICE.invokeExact(call.state, device), "ibv_open_device(" + name + ")");
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

    static void closeDevice(final MemorySegment context) throws VerbsException
    {
        intCall(Handles.CLOSE_DEVICE, "ibv_close_device", context);
    }

    static void queryDevice(final MemorySegment context, final MemorySegment attr) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.QUERY_DEVICE.invokeExact(call.state, context, attr), "ibv_query_device");
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

    static void queryPort(final MemorySegment context, final int port, final MemorySegment attr) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)Handles.QUERY_PORT.invokeExact(call.state, context, (byte)port, attr),
                "ibv_query_port(" + port + ")");
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

    static MemorySegment allocPd(final MemorySegment context) throws VerbsException
    {
        return pointerCall(Handles.ALLOC_PD, "ibv_alloc_pd", context);
    }

    static void deallocPd(final MemorySegment pd) throws VerbsException
    {
        intCall(Handles.DEALLOC_PD, "ibv_dealloc_pd", pd);
    }

    /** @param memory passed as the address; the downcall keeps its arena alive during the call. */
    static MemorySegment regMr(final MemorySegment pd, final MemorySegment memory, final int access) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            return nonNull(call, (MemorySegment)Handles.REG_MR.invokeExact(call.state, pd, memory, memory.byteSize(), access),
                "ibv_reg_mr(" + memory.byteSize() + " bytes)");
        }
        catch (final VerbsException e)
        {
            throw Errno.ENOMEM.code() == e.errno() ? MemlockLimit.explain(e, memory.byteSize()) : e;
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void deregMr(final MemorySegment mr) throws VerbsException
    {
        intCall(Handles.DEREG_MR, "ibv_dereg_mr", mr);
    }

    static MemorySegment createCompChannel(final MemorySegment context) throws VerbsException
    {
        return pointerCall(Handles.CREATE_COMP_CHANNEL, "ibv_create_comp_channel", context);
    }

    static void destroyCompChannel(final MemorySegment channel) throws VerbsException
    {
        intCall(Handles.DESTROY_COMP_CHANNEL, "ibv_destroy_comp_channel", channel);
    }

    static MemorySegment createCq(final MemorySegment context, final int cqe, final MemorySegment channel,
        final int vector) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            return nonNull(call, (MemorySegment)Handles.CREATE_CQ.invokeExact(call.state, context, cqe,
                MemorySegment.NULL, channel, vector), "ibv_create_cq(" + cqe + ")");
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

    static void destroyCq(final MemorySegment cq) throws VerbsException
    {
        intCall(Handles.DESTROY_CQ, "ibv_destroy_cq", cq);
    }

    /**
     * {@code ibv_get_cq_event} on a non-blocking channel; allocation-free.
     *
     * @param state   errno capture.
     * @param channel the channel.
     * @param outCq   a pointer slot for the queue that fired.
     * @param outContext a pointer slot for its context.
     * @return 0 when an event was taken, otherwise the errno (EAGAIN: none ready).
     */
    static int getCqEvent(final MemorySegment state, final MemorySegment channel, final MemorySegment outCq,
        final MemorySegment outContext)
    {
        try
        {
            final int rc = (int)Handles.GET_CQ_EVENT.invokeExact(state, channel, outCq, outContext);
            return 0 == rc ? 0 : Math.max(1, Ffm.errno(state));
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void ackCqEvents(final MemorySegment cq, final int count)
    {
        try
        {
            Handles.ACK_CQ_EVENTS.invokeExact(cq, count);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static MemorySegment createQp(final MemorySegment pd, final MemorySegment initAttr) throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            return nonNull(call, (MemorySegment)Handles.CREATE_QP.invokeExact(call.state, pd, initAttr), "ibv_create_qp");
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

    /** @return 0, or the errno. */
    static int modifyQp(final MemorySegment state, final MemorySegment qp, final MemorySegment attr, final int mask)
    {
        try
        {
            final int rc = (int)Handles.MODIFY_QP.invokeExact(state, qp, attr, mask);
            return errnoOf(state, rc);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    /** @return 0, or the errno. */
    static int queryQp(final MemorySegment state, final MemorySegment qp, final MemorySegment attr, final int mask,
        final MemorySegment initAttr)
    {
        try
        {
            final int rc = (int)Handles.QUERY_QP.invokeExact(state, qp, attr, mask, initAttr);
            return errnoOf(state, rc);
        }
        catch (final Throwable t)
        {
            throw Ffm.rethrow(t);
        }
    }

    static void destroyQp(final MemorySegment qp) throws VerbsException
    {
        intCall(Handles.DESTROY_QP, "ibv_destroy_qp", qp);
    }

    private static int errnoOf(final MemorySegment state, final int rc)
    {
        return 0 == rc ? 0 : rc > 0 ? rc : Math.max(1, Ffm.errno(state));
    }

    private static MemorySegment pointerCall(final MethodHandle handle, final String function, final MemorySegment arg)
        throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            return nonNull(call, (MemorySegment)handle.invokeExact(call.state, arg), function);
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

    private static void intCall(final MethodHandle handle, final String function, final MemorySegment arg)
        throws VerbsException
    {
        try (Ffm.Call call = new Ffm.Call())
        {
            check(call, (int)handle.invokeExact(call.state, arg), function);
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

    private static MemorySegment nonNull(final Ffm.Call call, final MemorySegment result, final String function)
        throws VerbsException
    {
        if (MemorySegment.NULL.equals(result))
        {
            throw call.failure(function);
        }
        return result;
    }

    /** libibverbs returns either an errno value or -1 with errno set, depending on the call and version. */
    private static void check(final Ffm.Call call, final int rc, final String function) throws VerbsException
    {
        if (0 != rc)
        {
            throw Ffm.failure(function, rc > 0 ? rc : call.errno());
        }
    }
}
