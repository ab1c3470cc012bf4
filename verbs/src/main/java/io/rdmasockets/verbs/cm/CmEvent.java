package io.rdmasockets.verbs.cm;

/**
 * One connection-manager event, as {@code struct rdma_cm_event}. Its data is copied out of the provider,
 * so there is nothing to acknowledge (a native provider acknowledges before returning it).
 *
 * @param type       what happened.
 * @param id         the id it happened to; for {@link CmEventType#CONNECT_REQUEST} a new id for the
 *                   incoming connection, bound to the listener's channel.
 * @param listenId   for {@link CmEventType#CONNECT_REQUEST}, the listening id; otherwise {@code null}.
 * @param status     0, a negative errno for failures (e.g. {@code -ETIMEDOUT}, {@code -ECONNREFUSED}),
 *                   or for {@link CmEventType#REJECTED} the positive IB CM reject reason
 *                   ({@link #REJECT_CONSUMER} when the peer called reject,
 *                   {@link #REJECT_INVALID_SERVICE_ID} when nothing listens).
 * @param parameters the peer's connection parameters and private data for CONNECT_REQUEST,
 *                   ESTABLISHED (active side: the accept's), REJECTED (the reject's) and
 *                   DISCONNECTED; otherwise {@code null}. As over IB, private data is zero-padded to the
 *                   CM message's full size (56, 196 or 148 bytes).
 */
public record CmEvent(CmEventType type, CmId id, CmId listenId, int status, ConnectionParameters parameters)
{
    /** IB CM reject reason: the peer's consumer (application) rejected. */
    public static final int REJECT_CONSUMER = 28;
    /** IB CM reject reason: no one listens on that service id (port). */
    public static final int REJECT_INVALID_SERVICE_ID = 8;

    /** @return the peer's private data, or an empty array. */
    public byte[] privateData()
    {
        return null == parameters ? new byte[0] : parameters.privateData();
    }

    @Override
    public String toString()
    {
        return "CmEvent[" + type + ", status=" + status + ", id=" + id + "]";
    }
}
