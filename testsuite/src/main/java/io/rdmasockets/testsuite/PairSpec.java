package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.cm.ConnectionParameters;

/**
 * What a fixture connection is made with: queue sizes and the connection parameters of both sides.
 * Defaults suit most tests: RC, 256-deep queues, 4 SGEs each way, 64 inline bytes, selective signaling,
 * RNR retry forever (as rsocket), 4 outstanding RDMA reads.
 */
public final class PairSpec
{
    int maxSendWr = 256;
    int maxRecvWr = 256;
    int maxSendSge = 4;
    int maxRecvSge = 4;
    int maxInlineData = 64;
    boolean signalAll;
    int cqEntries = 1024;
    byte[] connectData = new byte[0];
    byte[] acceptData = new byte[0];
    int rnrRetryCount = ConnectionParameters.RNR_RETRY_INFINITE;
    int retryCount = 7;
    int readDepth = 4;

    /** @return a spec with the defaults. */
    public static PairSpec defaults()
    {
        return new PairSpec();
    }

    /** @param sendWr send queue depth. @param recvWr receive queue depth. @return this. */
    public PairSpec queueDepth(final int sendWr, final int recvWr)
    {
        maxSendWr = sendWr;
        maxRecvWr = recvWr;
        cqEntries = Math.max(cqEntries, sendWr + recvWr);
        return this;
    }

    /** @param sendSge SGEs per send. @param recvSge SGEs per receive. @return this. */
    public PairSpec sge(final int sendSge, final int recvSge)
    {
        maxSendSge = sendSge;
        maxRecvSge = recvSge;
        return this;
    }

    /** @param bytes inline capacity. @return this. */
    public PairSpec maxInlineData(final int bytes)
    {
        maxInlineData = bytes;
        return this;
    }

    /** @param all {@code sq_sig_all}. @return this. */
    public PairSpec signalAll(final boolean all)
    {
        signalAll = all;
        return this;
    }

    /** @param entries completion queue size. @return this. */
    public PairSpec cqEntries(final int entries)
    {
        cqEntries = entries;
        return this;
    }

    /** @param data the connect request's private data. @return this. */
    public PairSpec connectData(final byte[] data)
    {
        connectData = data.clone();
        return this;
    }

    /** @param data the accept's private data. @return this. */
    public PairSpec acceptData(final byte[] data)
    {
        acceptData = data.clone();
        return this;
    }

    /** @param count RNR retries, 7 for forever. @return this. */
    public PairSpec rnrRetryCount(final int count)
    {
        rnrRetryCount = count;
        return this;
    }

    /** @param count transport retries, 0..7 (7, the default, as rsocket). @return this. */
    public PairSpec retryCount(final int count)
    {
        retryCount = count;
        return this;
    }

    /** @return the completion queue size. */
    public int cqEntries()
    {
        return cqEntries;
    }

    /**
     * @param sendCq send completion queue.
     * @param recvCq receive completion queue.
     * @return the queue pair attributes.
     */
    public QueuePairInitAttributes attributes(final CompletionQueue sendCq, final CompletionQueue recvCq)
    {
        return new QueuePairInitAttributes(QpType.RC, sendCq, recvCq, maxSendWr, maxRecvWr, maxSendSge, maxRecvSge,
            maxInlineData, signalAll);
    }

    /** @return the active side's parameters. */
    public ConnectionParameters connectParameters()
    {
        return new ConnectionParameters(connectData, readDepth, readDepth, true, retryCount, rnrRetryCount);
    }

    /** @return the passive side's parameters. */
    public ConnectionParameters acceptParameters()
    {
        return new ConnectionParameters(acceptData, readDepth, readDepth, true, retryCount, rnrRetryCount);
    }
}
