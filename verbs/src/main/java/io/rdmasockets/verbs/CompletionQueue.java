package io.rdmasockets.verbs;

/**
 * A completion queue, as {@code struct ibv_cq}.
 *
 * <p>Event semantics follow libibverbs exactly: {@link #requestNotify(boolean)} arms the queue once;
 * the next completion added after arming (a solicited one, if so asked) produces one event on the
 * {@link #channel()}, and the queue is disarmed until armed again. Completions already in the queue
 * when it is armed produce no event, so the usual loop is: poll until empty, arm, poll once more,
 * then wait on the channel.
 *
 * <p><b>Note:</b> {@link #poll} may be called from one thread at a time; arming and waiting may happen
 * on another.
 */
public interface CompletionQueue extends AutoCloseable
{
    /** @return the context the queue was created on. */
    VerbsContext context();

    /** @return the channel events go to, or {@code null}. */
    CompletionChannel channel();

    /** @return the number of completions the queue holds (at least what was asked for). */
    int capacity();

    /**
     * Moves up to {@code completions.capacity()} completions into {@code completions}, oldest first,
     * as {@code ibv_poll_cq}. Allocates nothing.
     *
     * @param completions where to put them.
     * @return the number moved (0 when empty), or a negative errno, e.g. {@code -EBADF} after close.
     */
    int poll(WorkCompletions completions);

    /**
     * Same as {@link #poll(WorkCompletions)} but moves at most {@code max} completions.
     *
     * @param completions where to put them.
     * @param max         the most to move, at most {@code completions.capacity()}.
     * @return the number moved, or a negative errno.
     */
    int poll(WorkCompletions completions, int max);

    /**
     * Arms the queue for one event, as {@code ibv_req_notify_cq}.
     *
     * @param solicitedOnly only a completion of a solicited receive (or an error) fires the event.
     * @return 0, or an errno (e.g. {@code EINVAL} for a queue without a channel).
     */
    int requestNotify(boolean solicitedOnly);

    /**
     * {@link #requestNotify(boolean)} by a thread that will now wait for the event itself, in
     * {@link CompletionChannel#awaitEvent} on this queue's channel, rather than elsewhere (a selector watching
     * the channel's ready listener). A provider that can move data on the waiting thread may keep that work
     * there instead of handing it to threads of its own (the tcp provider's waiter reads its sockets); the
     * event semantics are {@code requestNotify}'s. By default the same call.
     *
     * @param solicitedOnly only a completion of a solicited receive (or an error) fires the event.
     * @return 0, or an errno.
     */
    default int requestNotifyBeforeAwait(final boolean solicitedOnly)
    {
        return requestNotify(solicitedOnly);
    }

    /**
     * Acknowledges events taken from the channel, as {@code ibv_ack_cq_events}. {@link #close()} fails
     * while any is unacknowledged, so acknowledge what you take.
     *
     * @param count events to acknowledge.
     */
    void acknowledgeEvents(int count);

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /**
     * Destroys the queue, as {@code ibv_destroy_cq}. Where libibverbs blocks until every event taken
     * from the channel is acknowledged, this fails instead, so a forgotten acknowledgement is an error
     * and never a hang. Closing again does nothing.
     *
     * @throws VerbsException {@code EBUSY} while queue pairs still use it or events taken from the
     *                        channel are unacknowledged.
     */
    @Override
    void close() throws VerbsException;
}
