package io.rdmasockets.verbs;

/**
 * A reusable receive work request, as {@code struct ibv_recv_wr}: where the payload of the next SEND
 * lands. A request with no scatter/gather entries is legal (rsocket posts those): it can take a SEND
 * of zero bytes or an RDMA_WRITE_WITH_IMM, whose data goes to the written address anyway.
 *
 * <p><b>Note:</b> not thread safe; one per posting thread.
 */
public final class ReceiveWorkRequest
{
    private final ScatterGatherList sgl;
    private long wrId;

    /** A request with room for one scatter/gather entry. */
    public ReceiveWorkRequest()
    {
        this(1);
    }

    /** @param maxSge room for this many scatter/gather entries. */
    public ReceiveWorkRequest(final int maxSge)
    {
        sgl = new ScatterGatherList(maxSge);
    }

    /** Clears the id and the scatter/gather list. @return this. */
    public ReceiveWorkRequest reset()
    {
        wrId = 0;
        sgl.clear();
        return this;
    }

    /** @param wrId returned in the completion. @return this. */
    public ReceiveWorkRequest wrId(final long wrId)
    {
        this.wrId = wrId;
        return this;
    }

    /** @return the work request id. */
    public long wrId()
    {
        return wrId;
    }

    /** @return the scatter list to fill. */
    public ScatterGatherList sgl()
    {
        return sgl;
    }
}
