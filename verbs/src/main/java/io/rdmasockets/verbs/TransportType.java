package io.rdmasockets.verbs;

/** {@code enum ibv_transport_type}; the software providers report {@link #SOFTWARE}. */
public enum TransportType
{
    /** InfiniBand and RoCE. */
    IB,
    /** iWARP: no write-with-immediate; rsocket switches to its MSG_SEND mode. */
    IWARP,
    /** A verbs emulation of this library (tcp, shm): IB semantics without the hardware. */
    SOFTWARE
}
