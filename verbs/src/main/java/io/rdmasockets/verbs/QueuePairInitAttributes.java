package io.rdmasockets.verbs;

import java.util.Objects;

/**
 * What to create a queue pair with, as {@code struct ibv_qp_init_attr}.
 *
 * @param type            the transport type.
 * @param sendCq          where send completions go.
 * @param receiveCq       where receive completions go (may be the same queue).
 * @param maxSendWr       outstanding send work requests.
 * @param maxRecvWr       outstanding receive work requests.
 * @param maxSendSge      scatter/gather entries per send work request.
 * @param maxRecvSge      scatter/gather entries per receive work request.
 * @param maxInlineData   bytes a send may carry inline (copied at post time).
 * @param signalAll       {@code sq_sig_all}: every send completes with a completion, signaled or not.
 */
public record QueuePairInitAttributes(
    QpType type,
    CompletionQueue sendCq,
    CompletionQueue receiveCq,
    int maxSendWr,
    int maxRecvWr,
    int maxSendSge,
    int maxRecvSge,
    int maxInlineData,
    boolean signalAll)
{
    /** Validates what can be validated without a device. */
    public QueuePairInitAttributes
    {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sendCq, "sendCq");
        Objects.requireNonNull(receiveCq, "receiveCq");
        if (maxSendWr < 0 || maxRecvWr < 0 || maxSendSge < 0 || maxRecvSge < 0 || maxInlineData < 0)
        {
            throw new IllegalArgumentException("negative queue pair size");
        }
    }

    /**
     * An RC queue pair with one completion queue for both directions.
     *
     * @param cq        the completion queue.
     * @param maxSendWr outstanding sends.
     * @param maxRecvWr outstanding receives.
     * @return the attributes: 2 send SGEs, 1 receive SGE, 64 inline bytes, selective signaling.
     */
    public static QueuePairInitAttributes rc(final CompletionQueue cq, final int maxSendWr, final int maxRecvWr)
    {
        return new QueuePairInitAttributes(QpType.RC, cq, cq, maxSendWr, maxRecvWr, 2, 1, 64, false);
    }

    /** @param v new value. @return a copy with {@code maxSendSge = v}. */
    public QueuePairInitAttributes withMaxSendSge(final int v)
    {
        return new QueuePairInitAttributes(type, sendCq, receiveCq, maxSendWr, maxRecvWr, v, maxRecvSge,
            maxInlineData, signalAll);
    }

    /** @param v new value. @return a copy with {@code maxRecvSge = v}. */
    public QueuePairInitAttributes withMaxRecvSge(final int v)
    {
        return new QueuePairInitAttributes(type, sendCq, receiveCq, maxSendWr, maxRecvWr, maxSendSge, v,
            maxInlineData, signalAll);
    }

    /** @param v new value. @return a copy with {@code maxInlineData = v}. */
    public QueuePairInitAttributes withMaxInlineData(final int v)
    {
        return new QueuePairInitAttributes(type, sendCq, receiveCq, maxSendWr, maxRecvWr, maxSendSge, maxRecvSge,
            v, signalAll);
    }

    /** @param v new value. @return a copy with {@code signalAll = v}. */
    public QueuePairInitAttributes withSignalAll(final boolean v)
    {
        return new QueuePairInitAttributes(type, sendCq, receiveCq, maxSendWr, maxRecvWr, maxSendSge, maxRecvSge,
            maxInlineData, v);
    }
}
