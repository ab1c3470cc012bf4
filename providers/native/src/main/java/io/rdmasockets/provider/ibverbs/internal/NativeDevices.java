package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvDeviceDescriptor;
import io.rdmasockets.verbs.TransportType;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The provider's devices, as {@code ibv_get_device_list} lists them; one {@link NativeDevice} object per
 * name for the provider's lifetime, so the devices of contexts opened by librdmacm are the same objects.
 *
 * <p><b>Note:</b> thread safe.
 */
public final class NativeDevices
{
    private final VerbsProvider provider;
    private final Map<String, NativeDevice> byName = new HashMap<>();

    /** @param provider the provider the devices report. */
    public NativeDevices(final VerbsProvider provider)
    {
        this.provider = provider;
    }

    /** @return the provider. */
    VerbsProvider provider()
    {
        return provider;
    }

    /**
     * @return the devices, in the library's order.
     * @throws VerbsException when the list cannot be read.
     */
    public synchronized List<VerbsDevice> list() throws VerbsException
    {
        final List<VerbsDevice> devices = new ArrayList<>();
        Ibverbs.withDevices((name, device) ->
        {
            devices.add(byName.computeIfAbsent(name, n -> new NativeDevice(this, n, Ibverbs.deviceGuid(device),
                transport(device))));
            return null;
        });
        return devices;
    }

    /**
     * @param device a {@code struct ibv_device *}, e.g. of a context librdmacm opened.
     * @return its device object.
     * @throws VerbsException when the device list no longer has it.
     */
    synchronized NativeDevice of(final MemorySegment device) throws VerbsException
    {
        final String name = Ibverbs.deviceName(device);
        NativeDevice d = byName.get(name);
        if (null == d)
        {
            list();
            d = byName.get(name);
        }
        if (null == d)
        {
            throw new VerbsException(Errno.ENODEV, "device " + name + " is not in ibv_get_device_list");
        }
        return d;
    }

    private static TransportType transport(final MemorySegment device)
    {
        final int transport = device.reinterpret(IbvDeviceDescriptor.LAYOUT.byteSize())
            .get(ValueLayout.JAVA_INT, IbvDeviceDescriptor.TRANSPORT_TYPE);
        return IbvDeviceDescriptor.TRANSPORT_IWARP == transport ? TransportType.IWARP : TransportType.IB;
    }
}
