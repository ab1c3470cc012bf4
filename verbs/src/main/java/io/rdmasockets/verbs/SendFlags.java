package io.rdmasockets.verbs;

/** Send work-request flags, numbered as {@code enum ibv_send_flags}. */
public final class SendFlags
{
    /** Wait for earlier RDMA reads to complete before starting this request. */
    public static final int FENCE = 1;
    /** Produce a completion on success (errors always complete). */
    public static final int SIGNALED = 1 << 1;
    /** The peer's receive completion fires an event even on a solicited-only armed queue. */
    public static final int SOLICITED = 1 << 2;
    /**
     * Copy the payload at post time: the buffer is free again when {@code postSend} returns. Unlike
     * C verbs, the entries must still lie in memory registered with the queue pair's protection domain
     * and are checked like any other (a bad one completes with {@link WcStatus#LOC_PROT_ERR}): Java
     * cannot read an arbitrary address without risking the process.
     */
    public static final int INLINE = 1 << 3;

    private SendFlags()
    {
    }
}
