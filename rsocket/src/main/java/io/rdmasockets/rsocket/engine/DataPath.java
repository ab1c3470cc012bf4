package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.rsocket.protocol.IomapDescriptor;
import io.rdmasockets.rsocket.protocol.SgeFlyweight;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.ReceiveWorkRequest;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.rdmasockets.rsocket.engine.RsocketState.*;
import static io.rdmasockets.rsocket.protocol.ImmediateDescriptor.*;

/**
 * The data path of a connected stream rsocket: C's {@code rsend}, {@code rrecv}, {@code rs_poll_cq},
 * {@code rs_process_cq}, {@code rs_get_comp} and {@code rs_send_credits} (wire-protocol doc sections 2.1
 * to 2.7), allocation-free.
 *
 * <p>Locking. Senders serialise on {@code sendLock} and readers on {@code recvLock}, so a blocked reader
 * never blocks a writer. All protocol state (windows, rings, posting to the queue pair) is touched only
 * under {@code stateLock}, held briefly; a thread that must wait for a completion releases it and waits
 * on the completion channel under {@code waitLock}, as C's {@code cq_lock}/{@code cq_wait_lock} pair.
 * Unlike C, the sender's accounting and the completion handler never race on the same counters.
 */
final class DataPath
{
    /** {@code MSG_PEEK}. */
    static final int MSG_PEEK = 0x2;
    /** {@code MSG_DONTWAIT}. */
    static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_WAITALL}. */
    static final int MSG_WAITALL = 0x100;

    static final int TEST_HAVE_RDATA = 0;
    static final int TEST_CAN_SEND = 1;
    static final int TEST_CAN_SEND_CTRL = 2;
    static final int TEST_ALL_SENDS_DONE = 3;

    /** Receive work requests carry bit 63 in their id, as C's {@code rs_recv_wr_id}. */
    private static final long RECV_WR_ID = Long.MIN_VALUE;
    private static final int BATCH = 16;
    /** How soon the keepalive service looks again for a probe's completion, or for a free control slot. */
    private static final long PROBE_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(200);

    private final StreamRsocket socket;
    private final Endpoint ep;
    private final SendWindow send;
    private final ReceiveRing recv;
    private final SendWorkRequest wr = new SendWorkRequest(2);
    private final ReceiveWorkRequest rwr = new ReceiveWorkRequest(0).wrId(RECV_WR_ID);
    private final SgeFlyweight ctrlSge = new SgeFlyweight();
    private final SegmentCursor sendCursor = new SegmentCursor();
    private final SegmentCursor recvCursor = new SegmentCursor();
    private final MemorySegment[] sendOne = new MemorySegment[1];
    private final MemorySegment[] recvOne = new MemorySegment[1];
    private final WorkCompletions wcs;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final ReentrantLock waitLock = new ReentrantLock();
    private final long pollingTimeNs;
    private final long wakeUpIntervalMs;

    private long remoteSglAddress;
    private int remoteSglKey;
    private boolean swapSgl;
    private int ctrlSeqno;
    /** Our SHUTDOWN or DISCONNECT is decided but not yet posted; guarded by the state lock. */
    private boolean controlOwed;
    private int ctrlMaxSeqno = Endpoint.QP_CTRL_SIZE;
    private int unackedEvents;
    private volatile boolean cqArmed;
    /** When a send was last posted or a completion last polled: keepalive probes only idle connections. */
    private long lastActivityNs = System.nanoTime();
    private boolean probeOutstanding;
    private long probesSent;
    /**
     * Set by close with every lock held, just before the queues and memory go: a caller that got past
     * the socket's state check and then waited for a lock must not touch them. Read under any of the
     * send, receive or state locks.
     */
    private boolean released;

    DataPath(final StreamRsocket socket, final Endpoint ep, final long pollingTimeUs, final long wakeUpIntervalMs)
    {
        this.socket = socket;
        this.ep = ep;
        this.send = new SendWindow(ep.targetSgl(), ep.sbufSize, ep.sqSize - Endpoint.QP_CTRL_SIZE);
        this.recv = new ReceiveRing(ep.rbuf, ep.rqSize);
        this.wcs = new WorkCompletions(BATCH, ep.arena);
        this.pollingTimeNs = TimeUnit.MICROSECONDS.toNanos(pollingTimeUs);
        this.wakeUpIntervalMs = Math.max(1, wakeUpIntervalMs);
    }

    /**
     * Posts every receive and arms the queue ({@code rs_create_ep}), before the connection data goes out.
     *
     * @return 0 or an errno.
     */
    int postInitialReceives()
    {
        for (int i = 0; i < ep.rqSize; i++)
        {
            final int rc = ep.qp.postReceive(rwr);
            if (0 != rc)
            {
                return rc;
            }
        }
        return ep.cq.requestNotify(false);
    }

    /**
     * Applies the peer's connection data ({@code rs_save_conn_data}).
     *
     * @param sglAddress  the peer's target SGL address.
     * @param sglKey      its rkey.
     * @param sglLength   its entries.
     * @param peerIsBig   the peer set {@code RS_CONN_FLAG_NET}: write SGEs to it big-endian.
     * @param dataAddress the peer's first receive half.
     * @param dataKey     its rkey.
     * @param dataLength  its length.
     * @param credits     the peer's receive queue size.
     */
    void onConnected(final long sglAddress, final int sglKey, final int sglLength, final boolean peerIsBig,
        final long dataAddress, final int dataKey, final long dataLength, final int credits)
    {
        remoteSglAddress = sglAddress;
        remoteSglKey = sglKey;
        swapSgl = peerIsBig;
        recv.remoteSglLength(sglLength);
        send.onConnected(dataAddress, dataKey, dataLength, credits);
    }

    /** @return the lock close takes to wait for senders to leave. */
    ReentrantLock sendLock()
    {
        return sendLock;
    }

    /** @return the lock close takes so that no keepalive visit or poll touches the queue it destroys. */
    ReentrantLock stateLock()
    {
        return stateLock;
    }

    /** @return the lock close takes to wait for readers to leave. */
    ReentrantLock recvLock()
    {
        return recvLock;
    }

    /** Acknowledges the events taken but not yet acknowledged, as C's {@code rs_free} does before destroying the queue. */
    void acknowledgePendingEvents()
    {
        if (unackedEvents > 0 && !released)
        {
            ep.cq.acknowledgeEvents(unackedEvents);
            unackedEvents = 0;
        }
    }

    /** Marks the queues and memory as about to be destroyed; called by close holding all three locks. */
    void markReleased()
    {
        released = true;
    }

    /** Makes a thread waiting for a completion re-check the socket's state. */
    void wakeup()
    {
        ep.channel.wakeup();
    }

    // ---------------------------------------------------------------------------------------- send

    /**
     * {@code rsend}.
     *
     * @param src      the bytes.
     * @param offset   where they start in {@code src}.
     * @param length   how many.
     * @param nonblock fail with {@code EAGAIN} instead of waiting.
     * @return bytes sent (possibly fewer than asked when a wait would follow), or a negative errno.
     */
    int send(final MemorySegment src, final long offset, final int length, final boolean nonblock)
    {
        sendLock.lock();
        try
        {
            sendOne[0] = src;
            return (int)gather(sendOne, 1, offset, length, nonblock);
        }
        finally
        {
            sendOne[0] = null;
            sendCursor.clear();
            sendLock.unlock();
        }
    }

    /**
     * {@code rsendv}: the segments in order, as one stream of bytes (a message may take bytes of several).
     *
     * @param iov      the segments; each is sent whole.
     * @param count    how many of them.
     * @param length   their total size.
     * @param nonblock fail with {@code EAGAIN} instead of waiting.
     * @return bytes sent (possibly fewer than asked when a wait would follow), or a negative errno.
     */
    long sendv(final MemorySegment[] iov, final int count, final long length, final boolean nonblock)
    {
        sendLock.lock();
        try
        {
            return gather(iov, count, 0, length, nonblock);
        }
        finally
        {
            sendCursor.clear();
            sendLock.unlock();
        }
    }

    /** {@code rsendv}'s loop, under the send lock. */
    private long gather(final MemorySegment[] iov, final int count, final long offset, final long length,
        final boolean nonblock)
    {
        if (released)
        {
            return -Errno.EBADF.code();
        }
        sendCursor.start(iov, count, offset);
        long left = length;
        int chunk = SendWindow.OLAP_START_SIZE;
        int ret = 0;
        while (left > 0)
        {
            if (!canSend())
            {
                ret = getComp(nonblock, TEST_CAN_SEND, 0);
                if (0 != ret)
                {
                    break;
                }
            }
            stateLock.lock();
            try
            {
                final int state = socket.state;
                if (0 == (state & WRITABLE))
                {
                    ret = -socket.writeErrno();
                    break;
                }
                final int xfer = send.transferSize(chunk, left);
                if (chunk < SendWindow.MAX_TRANSFER)
                {
                    chunk <<= 1;
                }
                ret = postData(sendCursor, xfer);
                if (0 != ret)
                {
                    break;
                }
                left -= xfer;
            }
            finally
            {
                stateLock.unlock();
            }
        }
        return 0 != ret && left == length ? ret : length - left;
    }

    private boolean canSend()
    {
        stateLock.lock();
        try
        {
            return send.canSend();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /** {@code rs_write_data}: copy into the send ring (two SGEs across its end) and RDMA-write it. */
    private int postData(final SegmentCursor src, final int xfer)
    {
        final long remoteAddress = send.targetAddress();
        final int rkey = send.targetKey();
        final int start = send.reserveRing(xfer);
        final int first = Math.min(xfer, ep.sbufSize - start);
        src.copyTo(ep.sbuf, start, first);
        if (xfer > first)
        {
            src.copyTo(ep.sbuf, 0, xfer - first);
        }
        send.onDataPosted(xfer);
        final int msg = ImmediateDescriptor.encode(OP_DATA, xfer);
        wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).immData(msg)
            .flags(xfer <= ep.sqInline ? SendFlags.INLINE : 0).remote(remoteAddress, rkey);
        wr.sgl().add(ep.sbuf.address() + start, first, ep.smr.lkey());
        if (xfer > first)
        {
            wr.sgl().add(ep.sbuf.address(), xfer - first, ep.smr.lkey());
        }
        return post();
    }

    /** {@code rs_post_msg}: a 0-byte RDMA write whose immediate is the message. */
    private int postMessage(final int msg)
    {
        wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).immData(msg);
        return post();
    }

    private int post()
    {
        lastActivityNs = System.nanoTime();
        final int rc = ep.qp.postSend(wr);
        if (0 != rc)
        {
            socket.fail(rc);
            return -rc;
        }
        return 0;
    }

    // ---------------------------------------------------------------------------------------- receive

    /**
     * {@code rrecv}.
     *
     * @param dst      where to copy.
     * @param offset   where in {@code dst}.
     * @param length   most bytes to take.
     * @param flags    {@link #MSG_PEEK}, {@link #MSG_WAITALL}.
     * @param nonblock   fail with {@code EAGAIN} instead of waiting.
     * @param deadlineNs nanoTime at which waiting for data gives up with {@code EAGAIN} (as a socket's
     *                   {@code SO_RCVTIMEO} does), or 0 for none.
     * @return bytes received, 0 at end of stream, or a negative errno.
     */
    int recv(final MemorySegment dst, final long offset, final int length, final int flags, final boolean nonblock,
        final long deadlineNs)
    {
        recvLock.lock();
        try
        {
            recvOne[0] = dst;
            return (int)scatter(recvOne, 1, offset, length, flags, nonblock, deadlineNs);
        }
        finally
        {
            recvOne[0] = null;
            recvCursor.clear();
            recvLock.unlock();
        }
    }

    /**
     * {@code rrecvv} filling every segment in order (C fills the first only): waits as {@link #recv} for the
     * first bytes, then takes what has arrived, up to the segments' total.
     *
     * @param iov      where to copy; each is filled from its start.
     * @param count    how many segments.
     * @param length   their total size.
     * @param flags    {@link #MSG_PEEK}, {@link #MSG_WAITALL}.
     * @param nonblock fail with {@code EAGAIN} instead of waiting.
     * @return bytes received, 0 at end of stream, or a negative errno.
     */
    long recvv(final MemorySegment[] iov, final int count, final long length, final int flags,
        final boolean nonblock)
    {
        recvLock.lock();
        try
        {
            return scatter(iov, count, 0, length, flags, nonblock, 0);
        }
        finally
        {
            recvCursor.clear();
            recvLock.unlock();
        }
    }

    /** {@code rrecv}'s loop, under the receive lock. */
    private long scatter(final MemorySegment[] iov, final int count, final long offset, final long length,
        final int flags, final boolean nonblock, final long deadlineNs)
    {
        if (released)
        {
            return -Errno.EBADF.code();
        }
        recvCursor.start(iov, count, offset);
        long left = length;
        int ret = 0;
        do
        {
            if (!hasData())
            {
                ret = getComp(nonblock, TEST_HAVE_RDATA, deadlineNs);
                if (-Errno.ETIMEDOUT.code() == ret)
                {
                    ret = -Errno.EAGAIN.code();
                }
                if (0 != ret)
                {
                    break;
                }
            }
            stateLock.lock();
            try
            {
                if (!recv.hasData())
                {
                    ret = 0 != (socket.state & ERROR) ? -socket.readErrno() : 0;
                    break;
                }
                if (0 != (flags & MSG_PEEK))
                {
                    left -= recvCursor.peekFrom(recv, left);
                    break;
                }
                left -= recvCursor.readFrom(recv, left);
            }
            finally
            {
                stateLock.unlock();
            }
        }
        while (left > 0 && 0 != (flags & MSG_WAITALL) && 0 != (socket.state & READABLE));
        stateLock.lock();
        try
        {
            updateCredits();
        }
        finally
        {
            stateLock.unlock();
        }
        return 0 != ret && left == length ? ret : length - left;
    }

    private boolean hasData()
    {
        stateLock.lock();
        try
        {
            return recv.hasData();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /** @return bytes ready to read without waiting (FIONREAD). */
    long available()
    {
        stateLock.lock();
        try
        {
            return recv.available();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------- control

    /**
     * {@code rshutdown}'s state change, made under the state lock so that a peer's SHUTDOWN processed
     * by a concurrent reader cannot slip between it and the post of our own message.
     *
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR} (0, 1, 2).
     * @return the control message now owed to the peer, or -1 when nothing is to be sent.
     */
    int shutdownState(final int how)
    {
        stateLock.lock();
        try
        {
            final int s = socket.state;
            final int ctrl;
            if (StreamRsocket.SHUT_RDWR == how)
            {
                socket.state = s & ~(READABLE | WRITABLE);
                ctrl = CTRL_DISCONNECT;
            }
            else if (StreamRsocket.SHUT_WR == how)
            {
                socket.state = s & ~WRITABLE;
                ctrl = 0 != (s & READABLE) ? CTRL_SHUTDOWN : CTRL_DISCONNECT;
            }
            else
            {
                socket.state = s & ~READABLE;
                ctrl = 0 != (s & WRITABLE) ? -1 : CTRL_DISCONNECT;
            }
            controlOwed = ctrl >= 0;
            return ctrl;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Sends a control message ({@code rshutdown}'s part): waits for a control slot, then posts.
     *
     * @param ctrl       {@code CTRL_DISCONNECT} or {@code CTRL_SHUTDOWN}.
     * @param deadlineNs nanoTime after which waiting for a slot gives up with ETIMEDOUT, or 0 for none.
     * @return 0 or a negative errno.
     */
    int sendControl(final int ctrl, final long deadlineNs)
    {
        int ret = 0;
        if (!ctrlAvailable())
        {
            ret = processCq(false, TEST_CAN_SEND_CTRL, deadlineNs);
            if (0 != ret)
            {
                return ret;
            }
        }
        stateLock.lock();
        try
        {
            if (0 != (socket.state & CONNECTED) && ctrlSeqno != ctrlMaxSeqno)
            {
                ctrlSeqno++;
                ret = postMessage(ImmediateDescriptor.encode(OP_CTRL, ctrl));
            }
            controlOwed = false;
        }
        finally
        {
            stateLock.unlock();
        }
        return ret;
    }

    /**
     * Waits until every posted send completed or the connection is gone ({@code rs_conn_all_sends_done}).
     *
     * @param deadlineNs nanoTime after which it gives up with ETIMEDOUT, or 0 to wait as C does: without
     *                   limit, even for a peer that posts no receives (its RNR NAKs retry forever).
     * @return 0 or a negative errno.
     */
    int drainSends(final long deadlineNs)
    {
        return 0 != (socket.state & CONNECTED) ? processCq(false, TEST_ALL_SENDS_DONE, deadlineNs) : 0;
    }

    private boolean ctrlAvailable()
    {
        stateLock.lock();
        try
        {
            return ctrlSeqno != ctrlMaxSeqno;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Readiness for poll: data or end of stream to read, room to send, under the state lock.
     *
     * @return an OR of 1 (readable) and 4 (writable), poll(2)'s POLLIN and POLLOUT.
     */
    int readiness()
    {
        stateLock.lock();
        try
        {
            if (released)
            {
                return 0;
            }
            pollCq();
            updateCredits();
            int events = 0;
            if (test(TEST_HAVE_RDATA))
            {
                events |= 1;
            }
            if (test(TEST_CAN_SEND))
            {
                events |= 4;
            }
            return events;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * Prepares a poller's sleep (C's {@code rs_poll_arm} and {@code rs_get_cq_event}), with the state lock
     * held: takes the completion events that fired, so the channel's ready listener runs again for the
     * next one, then arms the completion queue. {@link #readiness()} then polls what completed before the arm.
     */
    void armForPoll()
    {
        if (released)
        {
            return;
        }
        boolean drained = false;
        if (waitLock.tryLock())
        {
            drained = true;
            try
            {
                while (ep.channel.hasEvent() && null != ep.channel.awaitEvent(0, TimeUnit.MILLISECONDS))
                {
                    cqArmed = false;
                    if (++unackedEvents >= ep.sqSize + ep.rqSize)
                    {
                        ep.cq.acknowledgeEvents(unackedEvents);
                        unackedEvents = 0;
                    }
                }
            }
            catch (final InterruptedException e)
            {
                // awaitEvent(0) does not wait; keep the flag for the caller's own wait.
                Thread.currentThread().interrupt();
            }
            finally
            {
                waitLock.unlock();
            }
        }
        // A blocked thread may take the pending event and return without re-arming: arm anyway then. An
        // extra event only makes some later wait look again.
        if (!cqArmed || !drained)
        {
            ep.cq.requestNotify(false);
            cqArmed = true;
        }
    }

    /**
     * One visit of the keepalive service ({@code tcp_svc_send_keepalive}): reaps completions, so a failed
     * probe puts the socket in ERROR without the application calling in, then, when nothing moved for
     * {@code idleNs}, posts a probe: a 0-byte RDMA write without immediate to address 0, rkey 0, in a
     * control slot as C does. The peer's transport acknowledges it without a receive completion.
     *
     * @param nowNs  the service's clock.
     * @param idleNs {@code keepalive_time}.
     * @return nanoseconds until the next visit, or -1 once the socket is no longer connected.
     */
    long keepalive(final long nowNs, final long idleNs)
    {
        stateLock.lock();
        try
        {
            if (released || 0 == (socket.state & CONNECTED))
            {
                return -1;
            }
            pollCq();
            if (0 == (socket.state & CONNECTED))
            {
                // The visit found the connection failed: blocked readers and writers must see it now.
                wakeup();
                return -1;
            }
            if (probeOutstanding || ctrlSeqno == ctrlMaxSeqno)
            {
                return PROBE_CHECK_NS;
            }
            final long idle = nowNs - lastActivityNs;
            if (idle < idleNs)
            {
                return idleNs - idle;
            }
            ctrlSeqno++;
            probeOutstanding = true;
            probesSent++;
            final int msg = ImmediateDescriptor.encode(OP_CTRL, CTRL_KEEPALIVE);
            wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(WrOpcode.RDMA_WRITE).remote(0, 0);
            return 0 == post() ? PROBE_CHECK_NS : -1;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /** @return keepalive probes posted so far (tests). */
    long probesSent()
    {
        stateLock.lock();
        try
        {
            return probesSent;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------- progress

    /**
     * {@code rs_get_comp}: spin for {@code polling_time}, then block on the completion channel.
     *
     * @param deadlineNs nanoTime at which a blocking wait gives up with ETIMEDOUT, or 0 for none.
     */
    int getComp(final boolean nonblock, final int test, final long deadlineNs)
    {
        final long start = System.nanoTime();
        do
        {
            final int ret = processCq(true, test, 0);
            if (0 == ret || nonblock || -Errno.EAGAIN.code() != ret)
            {
                return ret;
            }
            Thread.onSpinWait();
        }
        while (System.nanoTime() - start <= pollingTimeNs);
        return processCq(false, test, deadlineNs);
    }

    /** {@code rs_process_cq}; a non-zero {@code deadlineNs} (nanoTime) bounds the wait with ETIMEDOUT. */
    private int processCq(final boolean nonblock, final int test, final long deadlineNs)
    {
        stateLock.lock();
        try
        {
            int ret;
            do
            {
                if (released)
                {
                    return -Errno.EBADF.code();
                }
                updateCredits();
                ret = pollCq();
                if (test(test))
                {
                    ret = 0;
                    break;
                }
                else if (0 != ret)
                {
                    break;
                }
                else if (nonblock)
                {
                    ret = -Errno.EAGAIN.code();
                }
                else if (0 != deadlineNs && System.nanoTime() - deadlineNs >= 0)
                {
                    ret = -Errno.ETIMEDOUT.code();
                }
                else if (!cqArmed)
                {
                    ep.cq.requestNotify(false);
                    cqArmed = true;
                }
                else
                {
                    updateCredits();
                    waitLock.lock();
                    stateLock.unlock();
                    try
                    {
                        ret = awaitCqEvent(deadlineNs);
                    }
                    finally
                    {
                        waitLock.unlock();
                        stateLock.lock();
                    }
                }
            }
            while (0 == ret);
            if (released)
            {
                return -Errno.EBADF.code();
            }
            updateCredits();
            return ret;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /** {@code rs_get_cq_event}; a wakeup or the wake-up interval returns 0 so the caller re-tests. */
    private int awaitCqEvent(final long deadlineNs)
    {
        if (!cqArmed)
        {
            return 0;
        }
        try
        {
            long waitNs = TimeUnit.MILLISECONDS.toNanos(wakeUpIntervalMs);
            if (0 != deadlineNs)
            {
                waitNs = Math.max(0, Math.min(waitNs, deadlineNs - System.nanoTime()));
            }
            if (null != ep.channel.awaitEvent(waitNs, TimeUnit.NANOSECONDS))
            {
                cqArmed = false;
                if (++unackedEvents >= ep.sqSize + ep.rqSize)
                {
                    ep.cq.acknowledgeEvents(unackedEvents);
                    unackedEvents = 0;
                }
            }
            return 0;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return -Errno.EINTR.code();
        }
    }

    private boolean test(final int test)
    {
        final int state = socket.state;
        return switch (test)
        {
            case TEST_HAVE_RDATA -> recv.hasData() || 0 == (state & READABLE);
            case TEST_CAN_SEND -> send.canSend() || 0 == (state & WRITABLE);
            case TEST_CAN_SEND_CTRL -> ctrlSeqno != ctrlMaxSeqno || 0 == (state & CONNECTED);
            default -> (ctrlMaxSeqno - ctrlSeqno) + send.queueEntriesAvailable() == ep.sqSize ||
                0 == (state & CONNECTED);
        };
    }

    /** {@code rs_poll_cq}, in batches; called with the state lock held. */
    private int pollCq()
    {
        int received = 0;
        int n;
        while ((n = ep.cq.poll(wcs)) > 0)
        {
            lastActivityNs = System.nanoTime();
            for (int i = 0; i < n; i++)
            {
                if (wcs.wrId(i) < 0)
                {
                    if (WcStatus.SUCCESS.code() == wcs.statusCode(i))
                    {
                        received++;
                        onReceive(i);
                    }
                }
                else
                {
                    onSendCompletion(i);
                }
            }
        }
        if (0 != (socket.state & CONNECTED))
        {
            for (; received > 0; received--)
            {
                final int rc = ep.qp.postReceive(rwr);
                if (0 != rc)
                {
                    socket.fail(rc);
                    return -rc;
                }
            }
        }
        return n < 0 ? n : 0;
    }

    private void onReceive(final int i)
    {
        if (!wcs.hasImmediate(i))
        {
            // iWARP's MSG_SEND mode is not implemented: a message without an immediate is a protocol error.
            socket.protocolError("a receive completion without an immediate");
            return;
        }
        final int msg = wcs.immData(i);
        final int data = ImmediateDescriptor.data(msg);
        switch (ImmediateDescriptor.op(msg))
        {
            case OP_DATA ->
            {
                if (0 != recv.onData(data))
                {
                    socket.protocolError("the peer sent more than its credits or the ring allow");
                }
            }
            case OP_SGL -> send.onCredits(data);
            case OP_IOMAP_SGL, OP_WRITE ->
            {
                // The iomap entry is already in our memory; OP_WRITE never travels.
            }
            case OP_CTRL ->
            {
                if (CTRL_DISCONNECT == data)
                {
                    socket.state = DISCONNECTED;
                }
                else if (CTRL_SHUTDOWN == data)
                {
                    // Both sides half-closing at once: while our own SHUTDOWN is still owed, stay connected
                    // so it goes out (C would drop it here and leave the peer without its end of stream).
                    final int state = socket.state;
                    socket.state = 0 != (state & WRITABLE) || controlOwed ? state & ~READABLE : DISCONNECTED;
                }
            }
            // Reserved ops 1, 3, 5: C files them as data; no C peer sends them, so they are an error here.
            default -> socket.protocolError("reserved rsocket op " + ImmediateDescriptor.op(msg));
        }
    }

    private void onSendCompletion(final int i)
    {
        final int msg = (int)wcs.wrId(i);
        final int data = ImmediateDescriptor.data(msg);
        switch (ImmediateDescriptor.op(msg))
        {
            case OP_SGL -> ctrlMaxSeqno++;
            case OP_CTRL ->
            {
                ctrlMaxSeqno++;
                if (CTRL_DISCONNECT == data)
                {
                    socket.state = DISCONNECTED;
                }
                else if (CTRL_KEEPALIVE == data)
                {
                    probeOutstanding = false;
                }
            }
            case OP_IOMAP_SGL -> send.onSendCompleted(IomapDescriptor.LENGTH);
            default -> send.onSendCompleted(data);
        }
        if (WcStatus.SUCCESS.code() != wcs.statusCode(i) && 0 != (socket.state & CONNECTED))
        {
            socket.fail(Errno.EIO.code());
        }
    }

    /** {@code rs_update_credits}; called with the state lock held. */
    private void updateCredits()
    {
        if (recv.shouldUpdateCredits() && ctrlSeqno != ctrlMaxSeqno && 0 != (socket.state & CONNECTED))
        {
            sendCredits();
        }
    }

    /** {@code rs_send_credits}: grant credits, and write a freed half into the peer's target SGL. */
    private void sendCredits()
    {
        ctrlSeqno++;
        final int msg = ImmediateDescriptor.encode(OP_SGL, recv.prepareCreditUpdate() & MAX_DATA);
        final int offset = recv.advertisedOffset();
        if (offset < 0)
        {
            postMessage(msg);
            return;
        }
        final long slot = ep.ctrlSlotOffset(ctrlSeqno);
        ctrlSge.wrap(ep.sbuf, slot, swapSgl ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN)
            .set(ep.rbuf.address() + offset, ep.rmr.rkey(), recv.halfSize());
        wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).immData(msg)
            .flags(ep.sqInline >= Endpoint.CTRL_SLOT_LENGTH ? SendFlags.INLINE : 0)
            .remote(remoteSglAddress + (long)recv.advertisedRemoteSge() * Endpoint.CTRL_SLOT_LENGTH, remoteSglKey);
        wr.sgl().add(ep.sbuf.address() + slot, Endpoint.CTRL_SLOT_LENGTH, ep.smr.lkey());
        post();
    }
}
