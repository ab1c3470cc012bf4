package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairCapabilities;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.ScatterGatherList;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;


/**
 * An RC queue pair whose transport is one {@link TcpConnection}. Posting checks and copies the request
 * into preallocated slots, then lets the connection's writer send it from the posting thread.
 * Send requests complete when the peer acknowledges them (cumulative ACKs), reads when their data is
 * placed; a NAK fails its request and moves the queue pair to ERR, which flushes the rest.
 *
 * <p>RNR: receive-consuming frames that find no receive stall the connection's inbound stream until
 * {@link #postReceive} (rnr_retry 7: forever). A finite count announced by the requester in its REQ/REP
 * fails the stalled request with RNR_RETRY_EXC_ERR after count x 10 ms (0: at once).
 *
 * <p><b>Note:</b> queue state is guarded by this object's monitor; lock order is queue pair, then
 * completion queue, then writer.
 */
final class TcpQueuePair implements QueuePair
{
    /** {@link #reserveReceive()}: no receive posted (RNR). */
    static final int NO_RECEIVE = -1;
    /** {@link #reserveReceive()}: the queue pair cannot receive (ERR or not yet RTR). */
    static final int NOT_RECEIVING = -2;

    private static final int FLUSH = WcStatus.WR_FLUSH_ERR.code();
    private static final int SUCCESS = WcStatus.SUCCESS.code();

    private final TcpProtectionDomain pd;
    private final TcpCompletionQueue sendCq;
    private final TcpCompletionQueue receiveCq;
    private final QueuePairCapabilities capabilities;
    private final int qpNumber;
    private final boolean signalAll;
    private final SendQueue sq;
    private final ReceiveQueue rq;
    private final KeyTable lkeys;
    private volatile QpState state = QpState.RESET;
    private volatile TcpConnection connection;
    private boolean rnrStalled;
    private boolean open = true;

    TcpQueuePair(
        final TcpProtectionDomain pd,
        final TcpCompletionQueue sendCq,
        final TcpCompletionQueue receiveCq,
        final QueuePairInitAttributes attributes,
        final int qpNumber)
    {
        this.pd = pd;
        this.sendCq = sendCq;
        this.receiveCq = receiveCq;
        this.qpNumber = qpNumber;
        this.signalAll = attributes.signalAll();
        this.capabilities = new QueuePairCapabilities(Math.max(1, attributes.maxSendWr()),
            Math.max(1, attributes.maxRecvWr()), attributes.maxSendSge(), attributes.maxRecvSge(),
            attributes.maxInlineData());
        this.sq = new SendQueue(capabilities.maxSendWr(), attributes.maxSendSge(), attributes.maxInlineData());
        this.rq = new ReceiveQueue(capabilities.maxRecvWr(), attributes.maxRecvSge());
        this.lkeys = pd.tcpContext().runtime().lkeys();
    }

    @Override
    public int qpNumber()
    {
        return qpNumber;
    }

    @Override
    public QpType type()
    {
        return QpType.RC;
    }

    @Override
    public QpState state()
    {
        return state;
    }

    @Override
    public ProtectionDomain protectionDomain()
    {
        return pd;
    }

    TcpProtectionDomain pd()
    {
        return pd;
    }

    @Override
    public CompletionQueue sendCompletionQueue()
    {
        return sendCq;
    }

    @Override
    public CompletionQueue receiveCompletionQueue()
    {
        return receiveCq;
    }

    @Override
    public QueuePairCapabilities capabilities()
    {
        return capabilities;
    }

    SendQueue sendQueue()
    {
        return sq;
    }

    ReceiveQueue receiveQueue()
    {
        return rq;
    }

    TcpConnection connection()
    {
        return connection;
    }

    @Override
    public int postSend(final SendWorkRequest wr)
    {
        final int opcode = wr.opcode();
        final ScatterGatherList sgl = wr.sgl();
        final int count = sgl.count();
        final boolean isInline = 0 != (wr.flags() & SendFlags.INLINE) && WrOpcode.RDMA_READ != opcode;
        if (opcode < WrOpcode.RDMA_WRITE || opcode > WrOpcode.RDMA_READ || count > capabilities.maxSendSge())
        {
            return Errno.EINVAL.code();
        }
        final long total = sgl.totalLength();
        if (total > TcpFrameDescriptor.MAX_DATA_LENGTH || (isInline && total > capabilities.maxInlineData()))
        {
            return Errno.EINVAL.code();
        }
        synchronized (this)
        {
            final QpState s = state;
            if (!open || QpState.RESET == s || QpState.INIT == s || QpState.RTR == s)
            {
                return Errno.EINVAL.code();
            }
            if (QpState.ERR == s)
            {
                completeSend(wr.wrId(), FLUSH, opcode, (int)total);
                return 0;
            }
            if (sq.isFull())
            {
                return Errno.ENOMEM.code();
            }
            final int psn = sq.tail;
            final int slot = psn & sq.mask;
            final int localStatus = sq.store(slot, wr, isInline, (int)total, pd, lkeys);
            if (SUCCESS != localStatus)
            {
                completeSend(wr.wrId(), localStatus, opcode, (int)total);
                enterError(FLUSH);
                return 0;
            }
            sq.tail = psn + 1;
        }
        final TcpConnection c = connection;
        if (null != c)
        {
            c.requestPosted((int)total);
        }
        return 0;
    }

    @Override
    public int postReceive(final ReceiveWorkRequest wr)
    {
        if (wr.sgl().count() > capabilities.maxRecvSge())
        {
            return Errno.EINVAL.code();
        }
        final TcpConnection resume;
        synchronized (this)
        {
            final QpState s = state;
            if (!open || QpState.RESET == s)
            {
                return Errno.EINVAL.code();
            }
            if (QpState.ERR == s)
            {
                addCompletion(receiveCq, wr.wrId(), FLUSH, WcOpcode.RECV.code(), 0, 0, false, false);
                return 0;
            }
            if (rq.isFull())
            {
                return Errno.ENOMEM.code();
            }
            rq.store(rq.tail & rq.mask, wr, pd, lkeys);
            rq.tail++;
            resume = rnrStalled ? connection : null;
            rnrStalled = false;
        }
        if (null != resume)
        {
            resume.resumeReceiving();
        }
        return 0;
    }

    /**
     * Reserves the oldest receive for an incoming frame; reactor thread.
     *
     * @return the slot, {@link #NO_RECEIVE} (the caller stalls until a post resumes it) or
     *         {@link #NOT_RECEIVING}.
     */
    synchronized int reserveReceive()
    {
        final QpState s = state;
        if (QpState.RTR != s && QpState.RTS != s)
        {
            return NOT_RECEIVING;
        }
        if (rq.isEmpty())
        {
            rnrStalled = true;
            return NO_RECEIVE;
        }
        return rq.head & rq.mask;
    }

    /**
     * Completes the reserved (oldest) receive; reactor thread. Does nothing when a flush already did.
     *
     * @param status     wc status; an error moves the queue pair to ERR after this completion.
     * @param opcode     wc opcode.
     * @param byteLength bytes received.
     * @param immediate  immediate.
     * @param hasImm     whether there is one.
     * @param solicited  whether the sender asked for a solicited event.
     */
    synchronized void completeReceive(
        final int status,
        final int opcode,
        final int byteLength,
        final int immediate,
        final boolean hasImm,
        final boolean solicited)
    {
        if (QpState.ERR == state || rq.isEmpty())
        {
            return;
        }
        final long wrId = rq.wrIds[rq.head & rq.mask];
        rq.head++;
        addCompletion(receiveCq, wrId, status, opcode, byteLength, immediate, hasImm, solicited);
        if (SUCCESS != status)
        {
            enterError(FLUSH);
        }
    }

    /** @param ackPsn every request up to it has executed at the peer; reactor thread. */
    synchronized void onAck(final int ackPsn)
    {
        if (QpState.ERR == state)
        {
            return;
        }
        if (ackPsn - sq.ackedPsn > 0 && ackPsn - sq.tail < 0)
        {
            sq.ackedPsn = ackPsn;
        }
        completeAcknowledged();
    }

    /** @param psn the read whose data is now placed; reactor thread. */
    synchronized void onReadDone(final int psn)
    {
        sq.readDone[psn & sq.mask] = true;
        if (psn - sq.ackedPsn > 0)
        {
            sq.ackedPsn = psn;
        }
        if (QpState.ERR != state)
        {
            completeAcknowledged();
        }
    }

    /**
     * The peer refused request psn; earlier requests executed.
     *
     * @param psn    the failed request.
     * @param status its wc status.
     */
    synchronized void onNak(final int psn, final int status)
    {
        if (QpState.ERR == state)
        {
            return;
        }
        onAck(psn - 1);
        if (!sq.isEmpty() && sq.head == psn)
        {
            final int slot = psn & sq.mask;
            completeSend(sq.wrIds[slot], status, sq.opcodes[slot], sq.lengths[slot]);
            sq.head++;
        }
        enterError(FLUSH);
    }

    private void completeAcknowledged()
    {
        final SendQueue q = sq;
        while (q.head != q.tail && q.ackedPsn - q.head >= 0)
        {
            final int slot = q.head & q.mask;
            final int opcode = q.opcodes[slot];
            if (WrOpcode.RDMA_READ == opcode && !q.readDone[slot])
            {
                break;
            }
            q.head++;
            if (signalAll || 0 != (q.flags[slot] & SendFlags.SIGNALED))
            {
                completeSend(q.wrIds[slot], SUCCESS, opcode, q.lengths[slot]);
            }
        }
    }

    private void completeSend(final long wrId, final int status, final int wrOpcode, final int length)
    {
        final int opcode = switch (wrOpcode)
        {
            case WrOpcode.RDMA_WRITE, WrOpcode.RDMA_WRITE_WITH_IMM -> WcOpcode.RDMA_WRITE.code();
            case WrOpcode.RDMA_READ -> WcOpcode.RDMA_READ.code();
            default -> WcOpcode.SEND.code();
        };
        addCompletion(sendCq, wrId, status, opcode, length, 0, false, false);
    }

    private void addCompletion(
        final TcpCompletionQueue cq,
        final long wrId,
        final int status,
        final int opcode,
        final int byteLength,
        final int immediate,
        final boolean hasImm,
        final boolean solicited)
    {
        if (!cq.add(wrId, status, opcode, byteLength, immediate, hasImm, qpNumber, solicited) &&
            QpState.ERR != state)
        {
            enterError(FLUSH);
        }
    }

    /**
     * Moves to ERR and flushes: the oldest outstanding send gets {@code firstSendStatus}, every other
     * request WR_FLUSH_ERR. Caller holds the monitor.
     *
     * @param firstSendStatus e.g. RETRY_EXC_ERR when the connection broke, else WR_FLUSH_ERR.
     */
    void enterError(final int firstSendStatus)
    {
        if (QpState.ERR == state)
        {
            return;
        }
        state = QpState.ERR;
        int status = firstSendStatus;
        while (sq.head != sq.tail)
        {
            final int slot = sq.head & sq.mask;
            sq.head++;
            completeSend(sq.wrIds[slot], status, sq.opcodes[slot], sq.lengths[slot]);
            status = FLUSH;
        }
        while (rq.head != rq.tail)
        {
            final int slot = rq.head & rq.mask;
            rq.head++;
            receiveCq.add(rq.wrIds[slot], FLUSH, WcOpcode.RECV.code(), 0, 0, false, qpNumber, false);
        }
        rnrStalled = false;
    }

    /** @param firstSendStatus as {@link #enterError}. */
    synchronized void fail(final int firstSendStatus)
    {
        enterError(firstSendStatus);
    }

    /** CM: created through an id, ready to post receives. */
    synchronized void toInit()
    {
        if (QpState.RESET == state)
        {
            state = QpState.INIT;
        }
    }

    /**
     * CM: connected; sends may flow.
     *
     * @param c the connection.
     * @return false when the queue pair cannot be connected (closed, in ERR, or already connected).
     */
    boolean connect(final TcpConnection c)
    {
        synchronized (this)
        {
            if (!open || QpState.ERR == state || null != connection)
            {
                return false;
            }
            connection = c;
            state = QpState.RTS;
        }
        sendCq.addFeeder(c);
        receiveCq.addFeeder(c);
        c.writer().flushFromPoster();
        return true;
    }

    /** @param c a connection that stops feeding this queue pair's completion queues. */
    void detachFeeder(final TcpConnection c)
    {
        sendCq.removeFeeder(c);
        receiveCq.removeFeeder(c);
    }

    @Override
    public void modifyToError() throws VerbsException
    {
        synchronized (this)
        {
            if (!open)
            {
                throw new VerbsException(Errno.EBADF, "modifyToError: queue pair is destroyed");
            }
            enterError(FLUSH);
        }
    }

    @Override
    public synchronized boolean isOpen()
    {
        return open;
    }

    @Override
    public void close()
    {
        close(true);
    }

    /** Destroys the queue pair but lets the connection finish sending (the id's DREQ) on its own. */
    void closeKeepingConnection()
    {
        close(false);
    }

    private void close(final boolean dropConnection)
    {
        final TcpConnection c;
        synchronized (this)
        {
            if (!open)
            {
                return;
            }
            open = false;
            state = QpState.ERR;
            sq.head = sq.tail;
            rq.head = rq.tail;
            c = connection;
        }
        if (null != c)
        {
            detachFeeder(c);
            if (dropConnection)
            {
                c.onQueuePairClosed();
            }
        }
        sendCq.detach();
        receiveCq.detach();
        pd.onQueuePairClosed();
    }

    @Override
    public String toString()
    {
        return "TcpQueuePair[qpn=" + qpNumber + ", state=" + state + "]";
    }

    /** @return the queues' positions, read without the lock (diagnostics). */
    String describe()
    {
        return "qp " + qpNumber + ": state=" + state + " sq head=" + sq.head + " acked=" + sq.ackedPsn + " tail=" +
            sq.tail + " rq head=" + rq.head + " tail=" + rq.tail + " rnrStalled=" + rnrStalled + " " +
            sendCq.describe() + (receiveCq == sendCq ? "" : " recv " + receiveCq.describe());
    }
}
