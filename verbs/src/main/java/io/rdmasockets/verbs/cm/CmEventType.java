package io.rdmasockets.verbs.cm;

/** {@code enum rdma_cm_event_type}, with the librdmacm numbering (the ordinal). */
public enum CmEventType
{
    ADDR_RESOLVED, ADDR_ERROR, ROUTE_RESOLVED, ROUTE_ERROR, CONNECT_REQUEST, CONNECT_RESPONSE,
    CONNECT_ERROR, UNREACHABLE, REJECTED, ESTABLISHED, DISCONNECTED, DEVICE_REMOVAL, MULTICAST_JOIN,
    MULTICAST_ERROR, ADDR_CHANGE, TIMEWAIT_EXIT;

    /** @return the librdmacm number. */
    public int code()
    {
        return ordinal();
    }
}
