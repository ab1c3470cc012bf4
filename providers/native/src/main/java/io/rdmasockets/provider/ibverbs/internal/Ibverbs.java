package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * Downcalls into libibverbs, each created once. Calls that report failure through {@code errno} capture
 * it ({@link Linker.Option#captureCallState}) so no later JVM call can clobber it.
 */
final class Ibverbs
{
    static final Linker LINKER = Linker.nativeLinker();
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    /** A {@code char *} that may be read as a C string (up to the JDK's limit). */
    private static final AddressLayout C_STRING = ValueLayout.ADDRESS.withTargetLayout(
        MemoryLayout.sequenceLayout(4096, ValueLayout.JAVA_BYTE));

    private static final class Handles
    {
        static final MethodHandle GET_DEVICE_LIST = errnoCall(NativeLibraries.ibverbs(), "ibv_get_device_list",
            FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        static final MethodHandle FREE_DEVICE_LIST = call(NativeLibraries.ibverbs(), "ibv_free_device_list",
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
        static final MethodHandle GET_DEVICE_NAME = call(NativeLibraries.ibverbs(), "ibv_get_device_name",
            FunctionDescriptor.of(C_STRING, ValueLayout.ADDRESS));
        static final MethodHandle GET_DEVICE_GUID = call(NativeLibraries.ibverbs(), "ibv_get_device_guid",
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    }

    private Ibverbs()
    {
    }

    /** A device as {@code ibv_get_device_list} lists it. */
    record DeviceEntry(String name, long guid)
    {
    }

    /**
     * {@code ibv_get_device_list}, copied out and freed at once.
     *
     * @return the devices.
     * @throws NativeCallException with the errno when the list cannot be read (ENOSYS: no RDMA in the kernel).
     */
    static List<DeviceEntry> deviceList() throws NativeCallException
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment state = arena.allocate(CALL_STATE);
            final MemorySegment num = arena.allocate(ValueLayout.JAVA_INT);
            final MemorySegment list = (MemorySegment)Handles.GET_DEVICE_LIST.invokeExact(state, num);
            if (MemorySegment.NULL.equals(list))
            {
                throw new NativeCallException("ibv_get_device_list", errno(state));
            }
            try
            {
                final int n = num.get(ValueLayout.JAVA_INT, 0);
                final MemorySegment devices = list.reinterpret(ValueLayout.ADDRESS.byteSize() * n);
                final List<DeviceEntry> entries = new ArrayList<>(n);
                for (int i = 0; i < n; i++)
                {
                    final MemorySegment device = devices.getAtIndex(ValueLayout.ADDRESS, i);
                    final MemorySegment name = (MemorySegment)Handles.GET_DEVICE_NAME.invokeExact(device);
                    // The GUID comes back as __be64: keep the bytes in network order, as ibv_devices prints them.
                    final long guid = Long.reverseBytes((long)Handles.GET_DEVICE_GUID.invokeExact(device));
                    entries.add(new DeviceEntry(MemorySegment.NULL.equals(name) ? "?" : name.getString(0), guid));
                }
                return entries;
            }
            finally
            {
                Handles.FREE_DEVICE_LIST.invokeExact(list);
            }
        }
        catch (final NativeCallException | RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("unexpected checked exception from a downcall", t);
        }
    }

    static int errno(final MemorySegment callState)
    {
        return (int)ERRNO.get(callState, 0L);
    }

    static MethodHandle call(final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor);
    }

    static MethodHandle errnoCall(final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** @return {@code "ENOSYS (38)"}-style text for messages. */
    static String errnoText(final int errno)
    {
        return Errno.nameOf(errno) + " (" + errno + ")";
    }
}
