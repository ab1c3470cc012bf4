package io.rdmasockets.verbs;

/**
 * A queue pair, as {@code struct ibv_qp}.
 *
 * <p>Semantics every provider honours (the conformance testsuite checks them):
 * <ul>
 *   <li>Requests complete in the order they were posted, per queue.</li>
 *   <li>One-sided operations are checked at the target: a wrong rkey, an address range outside the
 *       region, or missing REMOTE_WRITE/REMOTE_READ access completes the request with
 *       {@link WcStatus#REM_ACCESS_ERR} and moves both queue pairs to {@link QpState#ERR}; target memory
 *       is left untouched.</li>
 *   <li>A bad local lkey or range completes with {@link WcStatus#LOC_PROT_ERR}; a receive too small for a
 *       SEND completes with {@link WcStatus#LOC_LEN_ERR}; both move the queue pair to ERR.</li>
 *   <li>A SEND or RDMA_WRITE_WITH_IMM that finds no posted receive waits for one (receiver-not-ready
 *       retry, infinite when {@code rnr_retry_count} is 7, which rsocket relies on); it is never dropped.</li>
 *   <li>The data of an RDMA_WRITE_WITH_IMM is in target memory before its receive completion can be
 *       polled.</li>
 *   <li>In ERR, outstanding and newly posted requests complete with {@link WcStatus#WR_FLUSH_ERR}.</li>
 *   <li>A peer that dies: outstanding sends complete with an error (typically
 *       {@link WcStatus#RETRY_EXC_ERR}), the queue pair goes to ERR, the connection manager reports
 *       DISCONNECTED.</li>
 * </ul>
 *
 * <p><b>Note:</b> {@link #postSend} and {@link #postReceive} are safe from different threads at once;
 * two threads posting to the same queue must serialise themselves, as in verbs.
 */
public interface QueuePair extends AutoCloseable
{
    /** @return the queue pair number (24 bits). */
    int qpNumber();

    /** @return the transport type. */
    QpType type();

    /** @return the current state. */
    QpState state();

    /** @return the protection domain. */
    ProtectionDomain protectionDomain();

    /** @return where send completions go. */
    CompletionQueue sendCompletionQueue();

    /** @return where receive completions go. */
    CompletionQueue receiveCompletionQueue();

    /** @return the granted sizes. */
    QueuePairCapabilities capabilities();

    /**
     * Posts a send request, as {@code ibv_post_send}. Allocates nothing.
     *
     * @param wr the request; the provider keeps no reference to it.
     * @return 0, or an errno: {@code ENOMEM} when the send queue is full, {@code EINVAL} for a request
     *         the queue pair cannot take (opcode, too many entries, inline payload too large, wrong
     *         state such as RESET).
     */
    int postSend(SendWorkRequest wr);

    /**
     * Posts a receive request, as {@code ibv_post_recv}. Allocates nothing.
     *
     * @param wr the request; the provider keeps no reference to it.
     * @return 0, or an errno: {@code ENOMEM} when the receive queue is full, {@code EINVAL} for too many
     *         entries or the RESET state.
     */
    int postReceive(ReceiveWorkRequest wr);

    /**
     * Moves the queue pair to ERR, as {@code ibv_modify_qp(IBV_QPS_ERR)}: outstanding requests are
     * flushed with {@link WcStatus#WR_FLUSH_ERR}.
     *
     * @throws VerbsException when the queue pair is destroyed.
     */
    void modifyToError() throws VerbsException;

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /**
     * Destroys the queue pair, as {@code ibv_destroy_qp}; outstanding requests are dropped without
     * completions. A connected peer sees its requests fail. Closing again does nothing.
     *
     * @throws VerbsException when the provider cannot destroy it.
     */
    @Override
    void close() throws VerbsException;
}
