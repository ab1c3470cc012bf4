package io.rdmasockets.verbs;

/** An RDMA device as {@code ibv_get_device_list} lists it. */
public interface VerbsDevice
{
    /** @return the device name, e.g. {@code "rxe0"} or {@code "tcp0"}. */
    String name();

    /** @return the node GUID in host order. */
    long guid();

    /** @return the provider that lists this device. */
    VerbsProvider provider();

    /** @return the transport, e.g. InfiniBand or iWARP, as {@code ibv_device.transport_type}. */
    TransportType transportType();

    /**
     * Opens a context, as {@code ibv_open_device}. Each call returns a new context.
     *
     * @return the open context; close it when done.
     * @throws VerbsException when the device cannot be opened.
     */
    VerbsContext open() throws VerbsException;
}
