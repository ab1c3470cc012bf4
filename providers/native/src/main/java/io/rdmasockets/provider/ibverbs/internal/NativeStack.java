package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;

import java.util.List;

/**
 * What the native provider's availability rests on: the libraries ({@link NativeLibraries}) and at least
 * one RDMA device the kernel exposes. Every cause names the fix.
 */
public final class NativeStack
{
    private NativeStack()
    {
    }

    /**
     * @return the RDMA devices ({@code ibv_devices}' names), in the library's order.
     * @throws IllegalStateException with the cause when the libraries or the kernel cannot list devices.
     */
    public static List<String> deviceNames()
    {
        NativeLibraries.ensureAvailability();
        try
        {
            return Ibverbs.deviceList().stream().map(Ibverbs.DeviceEntry::name).toList();
        }
        catch (final NativeCallException e)
        {
            throw new IllegalStateException(noDevices(e), e);
        }
    }

    /** @return why no native RDMA can be done here, or null when a device is there to use. */
    public static Throwable unavailabilityCause()
    {
        final Throwable libraries = NativeLibraries.unavailabilityCause();
        if (null != libraries)
        {
            return libraries;
        }
        try
        {
            if (Ibverbs.deviceList().isEmpty())
            {
                return new IllegalStateException("no RDMA device: ibv_get_device_list found none. " + HOW_TO_CHECK);
            }
            return null;
        }
        catch (final NativeCallException e)
        {
            return new IllegalStateException(noDevices(e), e);
        }
    }

    private static final String HOW_TO_CHECK = "Check with 'ibv_devices' or 'rdma link'; load the NIC's driver, " +
        "or for Soft-RoCE: 'modprobe rdma_rxe && rdma link add rxe0 type rxe netdev <interface>'";

    private static String noDevices(final NativeCallException e)
    {
        if (Errno.ENOSYS.code() == e.errno())
        {
            return "this kernel exposes no RDMA support (ibv_get_device_list: ENOSYS, no /sys/class/infiniband). " +
                HOW_TO_CHECK;
        }
        return "cannot list RDMA devices: " + e.getMessage() + ". " + HOW_TO_CHECK;
    }
}
