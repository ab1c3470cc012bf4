package io.rdmasockets.verbs;

/**
 * A reusable send work request, as {@code struct ibv_send_wr}. Fill it, post it with
 * {@link QueuePair#postSend(SendWorkRequest)}, and fill it again: the provider copies what it needs at
 * post time (including the payload of an {@link SendFlags#INLINE} request) and keeps no reference.
 * The memory named by non-inline entries must stay unchanged until the request completes.
 *
 * <pre>{@code
 * wr.reset().wrId(7).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).flags(SendFlags.SIGNALED)
 *   .immData(0x80000180).remote(remoteAddr, rkey);
 * wr.sgl().add(mr, 0, 4096);
 * int rc = qp.postSend(wr);  // 0, or an errno such as ENOMEM when the send queue is full
 * }</pre>
 *
 * <p><b>Note:</b> not thread safe; one per posting thread.
 */
public final class SendWorkRequest
{
    private final ScatterGatherList sgl;
    private long wrId;
    private int opcode = WrOpcode.SEND;
    private int flags;
    private int immData;
    private long remoteAddress;
    private int rkey;

    /** A request with room for two scatter/gather entries (what rsocket needs for a ring wrap). */
    public SendWorkRequest()
    {
        this(2);
    }

    /** @param maxSge room for this many scatter/gather entries. */
    public SendWorkRequest(final int maxSge)
    {
        sgl = new ScatterGatherList(maxSge);
    }

    /** Clears every field and the scatter/gather list. @return this. */
    public SendWorkRequest reset()
    {
        wrId = 0;
        opcode = WrOpcode.SEND;
        flags = 0;
        immData = 0;
        remoteAddress = 0;
        rkey = 0;
        sgl.clear();
        return this;
    }

    /** @param wrId returned in the completion. @return this. */
    public SendWorkRequest wrId(final long wrId)
    {
        this.wrId = wrId;
        return this;
    }

    /** @param opcode a {@link WrOpcode}. @return this. */
    public SendWorkRequest opcode(final int opcode)
    {
        this.opcode = opcode;
        return this;
    }

    /** @param flags an OR of {@link SendFlags}. @return this. */
    public SendWorkRequest flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /**
     * @param immData the immediate's logical value; providers put it on the wire big-endian, as
     *                {@code htobe32} does in C.
     * @return this.
     */
    public SendWorkRequest immData(final int immData)
    {
        this.immData = immData;
        return this;
    }

    /**
     * @param remoteAddress the peer's virtual address (RDMA write and read).
     * @param rkey          the peer region's remote key.
     * @return this.
     */
    public SendWorkRequest remote(final long remoteAddress, final int rkey)
    {
        this.remoteAddress = remoteAddress;
        this.rkey = rkey;
        return this;
    }

    /** @return the scatter/gather list to fill (gather for writes and sends, scatter for reads). */
    public ScatterGatherList sgl()
    {
        return sgl;
    }

    /** @return the work request id. */
    public long wrId()
    {
        return wrId;
    }

    /** @return the {@link WrOpcode}. */
    public int opcode()
    {
        return opcode;
    }

    /** @return the {@link SendFlags}. */
    public int flags()
    {
        return flags;
    }

    /** @return the immediate's logical value. */
    public int immData()
    {
        return immData;
    }

    /** @return the peer's virtual address. */
    public long remoteAddress()
    {
        return remoteAddress;
    }

    /** @return the peer region's remote key. */
    public int rkey()
    {
        return rkey;
    }
}
