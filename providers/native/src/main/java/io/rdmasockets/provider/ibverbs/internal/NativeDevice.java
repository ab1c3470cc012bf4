package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.TransportType;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;

/** An RDMA device of the system, e.g. {@code rxe0} or {@code mlx5_0}. */
final class NativeDevice implements VerbsDevice
{
    private final NativeDevices devices;
    private final String name;
    private final long guid;
    private final TransportType transport;

    NativeDevice(final NativeDevices devices, final String name, final long guid, final TransportType transport)
    {
        this.devices = devices;
        this.name = name;
        this.guid = guid;
        this.transport = transport;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public long guid()
    {
        return guid;
    }

    @Override
    public VerbsProvider provider()
    {
        return devices.provider();
    }

    @Override
    public TransportType transportType()
    {
        return transport;
    }

    @Override
    public VerbsContext open() throws VerbsException
    {
        // The device must be opened while the list that names it is held.
        final NativeContext context = Ibverbs.withDevices((n, device) ->
            name.equals(n) ? new NativeContext(this, Ibverbs.openDevice(device, name), true) : null);
        if (null == context)
        {
            throw new VerbsException(Errno.ENODEV, "open " + name + ": no longer in ibv_get_device_list");
        }
        return context;
    }

    @Override
    public String toString()
    {
        return "NativeDevice[" + name + ", " + transport + ", guid " + String.format("%016x", guid) + "]";
    }
}
