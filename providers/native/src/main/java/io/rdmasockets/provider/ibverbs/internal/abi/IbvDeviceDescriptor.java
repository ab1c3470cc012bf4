package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * {@code struct ibv_device}, as {@code ibv_get_device_list} lists it: read for its transport type.
 *
 * <pre>
 *   0 _ops (two pointers, 16)   16 node_type   20 transport_type (enums)
 *  24 name (char[64])   88 dev_name (char[64])   152 dev_path (char[256])   408 ibdev_path (char[256])   664 end
 * </pre>
 */
public final class IbvDeviceDescriptor
{
    /** The layout, named as the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        MemoryLayout.structLayout(
            POINTER.withName("_dummy1"),
            POINTER.withName("_dummy2")).withName("_ops"),
        INT.withName("node_type"),
        INT.withName("transport_type"),
        opaque("name", 64),
        opaque("dev_name", 64),
        opaque("dev_path", 256),
        opaque("ibdev_path", 256)).withName("ibv_device");

    public static final long TRANSPORT_TYPE = offset(LAYOUT, "transport_type");

    /** {@code IBV_TRANSPORT_IWARP} of {@code enum ibv_transport_type}. */
    public static final int TRANSPORT_IWARP = 1;

    private IbvDeviceDescriptor()
    {
    }
}
