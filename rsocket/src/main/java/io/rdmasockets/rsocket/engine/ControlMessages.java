package io.rdmasockets.rsocket.engine;

import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.rsocket.protocol.SgeFlyweight;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WrOpcode;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.rdmasockets.rsocket.engine.CompletionProcessor.TEST_ALL_SENDS_DONE;
import static io.rdmasockets.rsocket.engine.CompletionProcessor.TEST_CAN_SEND_CTRL;
import static io.rdmasockets.rsocket.engine.RsocketState.*;
import static io.rdmasockets.rsocket.protocol.ImmediateDescriptor.*;

/**
 * What a connected stream rsocket posts in its control slots, the {@code RS_QP_CTRL_SIZE} send-queue
 * entries kept apart from data: credit updates that also write a freed receive half into the peer's
 * target SGL ({@code rs_update_credits}, {@code rs_send_credits}, wire-protocol doc section 2.5),
 * {@code rshutdown}'s SHUTDOWN and DISCONNECT (section 4.2) and keepalive probes (section 4.3); and the
 * peer's SHUTDOWN and DISCONNECT as they arrive.
 *
 * <p><b>Note:</b> part of {@link DataPath} and under its locking: the state here is guarded by the data
 * path's state lock; each method says whether it takes the lock or needs it held.
 */
final class ControlMessages
{
    /** How soon the keepalive service looks again for a probe's completion, or for a free control slot. */
    private static final long PROBE_CHECK_NS = TimeUnit.MILLISECONDS.toNanos(200);
    /** {@link DataPath#activity} at the last keepalive visit; guarded by the state lock. */
    private long activitySeen = -1;
    /** When the keepalive visits first saw {@link DataPath#activity} stand still. */
    private long idleSinceNs;

    private final DataPath path;
    private final StreamRsocket socket;
    private final Endpoint ep;
    private final ReceiveRing recv;
    private final SendWorkRequest wr;
    private final ReentrantLock stateLock;
    private final SgeFlyweight ctrlSge = new SgeFlyweight();

    private long remoteSglAddress;
    private int remoteSglKey;
    private boolean swapSgl;
    private int ctrlSeqno;
    /** Our SHUTDOWN or DISCONNECT is decided but not yet posted; guarded by the state lock. */
    private boolean controlOwed;
    private int ctrlMaxSeqno = Endpoint.QP_CTRL_SIZE;
    private boolean probeOutstanding;
    private long probesSent;

    ControlMessages(final DataPath path)
    {
        this.path = path;
        this.socket = path.socket;
        this.ep = path.ep;
        this.recv = path.recv;
        this.wr = path.wr;
        this.stateLock = path.stateLock();
    }

    /**
     * Applies the peer's target SGL from its connection data ({@code rs_save_conn_data}).
     *
     * @param sglAddress the peer's target SGL address.
     * @param sglKey     its rkey.
     * @param peerIsBig  the peer set {@code RS_CONN_FLAG_NET}: write SGEs to it big-endian.
     */
    void onConnected(final long sglAddress, final int sglKey, final boolean peerIsBig)
    {
        remoteSglAddress = sglAddress;
        remoteSglKey = sglKey;
        swapSgl = peerIsBig;
    }

    /**
     * {@code rshutdown}'s part here (wire-protocol doc section 4.2): the state change, then the message it
     * owes the peer, SHUTDOWN or DISCONNECT, and a wait for every send to complete.
     *
     * @param how        {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR} (0, 1, 2).
     * @param deadlineNs nanoTime after which the waits give up with ETIMEDOUT, or 0 for none.
     * @return 0 or a negative errno.
     */
    int shutdown(final int how, final long deadlineNs)
    {
        final int ctrl = shutdownState(how);
        if (ctrl < 0)
        {
            path.wakeup();
            return 0;
        }
        path.wakeup();
        final int ret = sendControl(ctrl, deadlineNs);
        drainSends(deadlineNs);
        return ret;
    }

    /**
     * {@code rshutdown}'s state change, made under the state lock so that a peer's SHUTDOWN processed
     * by a concurrent reader cannot slip between it and the post of our own message.
     *
     * @param how {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR} (0, 1, 2).
     * @return the control message now owed to the peer, or -1 when nothing is to be sent.
     */
    private int shutdownState(final int how)
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
    private int sendControl(final int ctrl, final long deadlineNs)
    {
        int ret = 0;
        if (!ctrlAvailable())
        {
            ret = path.progress.processCq(false, TEST_CAN_SEND_CTRL, deadlineNs);
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
    private int drainSends(final long deadlineNs)
    {
        return 0 != (socket.state & CONNECTED) ?
            path.progress.processCq(false, TEST_ALL_SENDS_DONE, deadlineNs) : 0;
    }

    private boolean ctrlAvailable()
    {
        stateLock.lock();
        try
        {
            return slotAvailable();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /** @return whether a control slot is free; called with the state lock held. */
    boolean slotAvailable()
    {
        return ctrlSeqno != ctrlMaxSeqno;
    }

    /** @return control slots free; called with the state lock held. */
    int slotsAvailable()
    {
        return ctrlMaxSeqno - ctrlSeqno;
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
            if (path.released || 0 == (socket.state & CONNECTED))
            {
                return -1;
            }
            path.progress.pollCq();
            if (0 == (socket.state & CONNECTED))
            {
                // The visit found the connection failed: blocked readers and writers must see it now.
                path.wakeup();
                return -1;
            }
            if (probeOutstanding || ctrlSeqno == ctrlMaxSeqno)
            {
                return PROBE_CHECK_NS;
            }
            if (path.activity != activitySeen)
            {
                // Traffic since the last visit (or the first visit): idle from now on, as far as we know.
                activitySeen = path.activity;
                idleSinceNs = nowNs;
            }
            final long idle = nowNs - idleSinceNs;
            if (idle < idleNs)
            {
                // Look again within a quarter of the idle time, so that a probe follows the last traffic
                // within 1.25 times keepalive_time.
                return Math.min(idleNs - idle, Math.max(PROBE_CHECK_NS, idleNs / 4));
            }
            ctrlSeqno++;
            probeOutstanding = true;
            probesSent++;
            final int msg = ImmediateDescriptor.encode(OP_CTRL, CTRL_KEEPALIVE);
            wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(WrOpcode.RDMA_WRITE).remote(0, 0);
            return 0 == path.post() ? PROBE_CHECK_NS : -1;
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

    /** {@code rs_update_credits}; called with the state lock held. */
    void updateCredits()
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
        path.post();
    }

    /** {@code rs_post_msg}: a 0-byte RDMA write whose immediate is the message. */
    private int postMessage(final int msg)
    {
        wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).immData(msg);
        return path.post();
    }

    /** Our credit update completed: its control slot is free again. Called with the state lock held. */
    void onCreditsSent()
    {
        ctrlMaxSeqno++;
    }

    /**
     * Our control message completed: its slot is free again, a DISCONNECT ends the connection, a probe
     * is no longer outstanding. Called with the state lock held.
     *
     * @param data the message's {@code CTRL_*} value.
     */
    void onControlSent(final int data)
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

    /**
     * The peer's SHUTDOWN or DISCONNECT arrived; called with the state lock held.
     *
     * @param data the message's {@code CTRL_*} value.
     */
    void onPeerControl(final int data)
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
}
