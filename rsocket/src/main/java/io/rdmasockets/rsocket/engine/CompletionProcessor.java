package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.rsocket.protocol.IomapDescriptor;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static io.rdmasockets.rsocket.engine.RsocketState.*;
import static io.rdmasockets.rsocket.protocol.ImmediateDescriptor.*;

/**
 * Progress on a connected stream rsocket: C's {@code rs_get_comp}, {@code rs_process_cq},
 * {@code rs_get_cq_event} and {@code rs_poll_cq} (wire-protocol doc sections 2.6 and 2.7), which reap
 * completions, repost receives and wait on the completion channel until a condition (one of the
 * {@code TEST_*}) holds; and the readiness and arming {@code rpoll} needs (section 4.5).
 *
 * <p><b>Note:</b> part of {@link DataPath} and under its locking: the state here is guarded by the data
 * path's state lock, which a thread about to wait for a completion event releases, waiting under
 * {@code waitLock} instead (C's {@code cq_wait_lock}).
 */
final class CompletionProcessor
{
    /** Polls between two looks at the clock while spinning for {@code polling_time}. */
    private static final int SPINS_PER_CLOCK = 4;
    /** What {@link #processCq} waits for: data or end of stream to read. */
    static final int TEST_HAVE_RDATA = 0;
    /** Room to send data, or the write side closed. */
    static final int TEST_CAN_SEND = 1;
    /** A free control slot, or the connection gone. */
    static final int TEST_CAN_SEND_CTRL = 2;
    /** Every posted send completed, or the connection gone. */
    static final int TEST_ALL_SENDS_DONE = 3;
    /** Room for a riowrite chunk or an iomap update, or the write side closed. */
    static final int TEST_CAN_WRITE = 4;

    /** Receive work requests carry bit 63 in their id, as C's {@code rs_recv_wr_id}. */
    private static final long RECV_WR_ID = Long.MIN_VALUE;
    private static final int BATCH = 16;

    private final DataPath path;
    private final StreamRsocket socket;
    private final Endpoint ep;
    private final SendWindow send;
    private final ReceiveRing recv;
    private final ControlMessages control;
    private final ReceiveWorkRequest rwr = new ReceiveWorkRequest(0).wrId(RECV_WR_ID);
    private final WorkCompletions wcs;
    private final ReentrantLock stateLock;
    private final ReentrantLock waitLock = new ReentrantLock();
    private final long pollingTimeNs;
    private final long wakeUpIntervalMs;

    private int unackedEvents;
    private volatile boolean cqArmed;
    /**
     * A thread sleeps (or is about to) in {@link #awaitCqEvent}: set with both locks held before it lets go of
     * the state lock, so every later poll sees it; cleared with the wait lock held. See {@link #pollCq}.
     */
    private volatile boolean waiterAsleep;

    CompletionProcessor(final DataPath path, final long pollingTimeUs, final long wakeUpIntervalMs)
    {
        this.path = path;
        this.socket = path.socket;
        this.ep = path.ep;
        this.send = path.send;
        this.recv = path.recv;
        this.control = path.control;
        this.stateLock = path.stateLock();
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
     * Acknowledges the events taken but not yet acknowledged, as C's {@code rs_free} does before destroying
     * the queue; called by close holding every lock.
     */
    void acknowledgePendingEvents()
    {
        if (unackedEvents > 0 && !path.released)
        {
            ep.cq.acknowledgeEvents(unackedEvents);
            unackedEvents = 0;
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
            if (path.released)
            {
                return 0;
            }
            pollCq();
            control.updateCredits();
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
        if (path.released)
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
     * {@code rs_get_comp}: spin for {@code polling_time}, then block on the completion channel.
     *
     * <p>No clock on the non-blocking path, and while spinning one look every {@value #SPINS_PER_CLOCK} polls:
     * a clock read costs a system call where the kernel has no TSC clocksource (HPET, as in the TCG guest: about
     * 1.5 us, more than the poll itself).
     *
     * @param deadlineNs nanoTime at which a blocking wait gives up with ETIMEDOUT, or 0 for none.
     */
    int getComp(final boolean nonblock, final int test, final long deadlineNs)
    {
        int ret = processCq(true, test, 0);
        if (0 == ret || nonblock || -Errno.EAGAIN.code() != ret)
        {
            return ret;
        }
        if (pollingTimeNs > 0)
        {
            final long start = System.nanoTime();
            int spins = 0;
            do
            {
                Thread.onSpinWait();
                ret = processCq(true, test, 0);
                if (0 == ret || -Errno.EAGAIN.code() != ret)
                {
                    return ret;
                }
            }
            while (0 != (++spins % SPINS_PER_CLOCK) || System.nanoTime() - start <= pollingTimeNs);
        }
        return processCq(false, test, deadlineNs);
    }

    /**
     * One pass of {@link #processCq} without its wait, for a caller that already holds the state lock and
     * found nothing to do: C's {@code rs_get_comp} starts with the same pass, but taking the lock again for it
     * costs a third of a non-blocking poll where a lock is dear (the emulated guest); the caller tests its
     * condition itself afterwards.
     *
     * @return 0, or a negative errno ({@code EBADF} once released, a failed repost).
     */
    int pollLocked()
    {
        if (path.released)
        {
            return -Errno.EBADF.code();
        }
        control.updateCredits();
        final int ret = pollCq();
        if (0 == ret)
        {
            control.updateCredits();
        }
        return ret;
    }

    /** {@code rs_process_cq}; a non-zero {@code deadlineNs} (nanoTime) bounds the wait with ETIMEDOUT. */
    int processCq(final boolean nonblock, final int test, final long deadlineNs)
    {
        stateLock.lock();
        try
        {
            int ret;
            do
            {
                if (path.released)
                {
                    return -Errno.EBADF.code();
                }
                control.updateCredits();
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
                    // This thread waits for the event itself (awaitCqEvent below), not in a selector.
                    ep.cq.requestNotifyBeforeAwait(false);
                    cqArmed = true;
                }
                else
                {
                    control.updateCredits();
                    waitLock.lock();
                    waiterAsleep = true;
                    stateLock.unlock();
                    try
                    {
                        ret = awaitCqEvent(deadlineNs);
                    }
                    finally
                    {
                        waiterAsleep = false;
                        waitLock.unlock();
                        stateLock.lock();
                    }
                }
            }
            while (0 == ret);
            if (path.released)
            {
                return -Errno.EBADF.code();
            }
            control.updateCredits();
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
            case TEST_CAN_SEND_CTRL -> control.slotAvailable() || 0 == (state & CONNECTED);
            case TEST_CAN_WRITE -> send.canWrite() || 0 == (state & WRITABLE);
            default -> control.slotsAvailable() + send.queueEntriesAvailable() == ep.sqSize ||
                0 == (state & CONNECTED);
        };
    }

    /**
     * {@code rs_poll_cq}, in batches; called with the state lock held. Unlike C it wakes a thread asleep in
     * {@link #awaitCqEvent} when it takes completions ({@link #waiterAsleep}): they may be what that thread
     * waits for, while their events woke another thread or never fired. Without it a reader and a writer of
     * one socket slept until the wake-up interval, each behind the other (500 ms stalls; hangs with a
     * minute's interval in {@code RdmaSocketConformance.shouldRoundTripStreamsWithChecksums}). C's
     * {@code rs_process_cq} has the same shape, and its wait no time limit.
     */
    int pollCq()
    {
        int received = 0;
        int n;
        boolean took = false;
        while ((n = ep.cq.poll(wcs)) > 0)
        {
            took = true;
            path.activity++;
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
        if (took && waiterAsleep)
        {
            ep.channel.wakeup();
        }
        if (0 != (socket.state & CONNECTED))
        {
            for (; received > 0; received--)
            {
                final int rc = ep.qp.postReceive(rwr);
                if (0 != rc)
                {
                    path.fail(rc);
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
            path.protocolError("a receive completion without an immediate");
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
                    path.protocolError("the peer sent more than its credits or the ring allow");
                }
            }
            case OP_SGL -> send.onCredits(data);
            // The entry is already in our memory: take it now that it is whole (section 3).
            case OP_IOMAP_SGL -> path.iomaps.onPeerEntry(data);
            case OP_WRITE ->
            {
                // Never travels (C's riowrite uses it in its local work request ids only); C ignores it.
            }
            case OP_CTRL -> control.onPeerControl(data);
            // Reserved ops 1, 3, 5: C files them as data; no C peer sends them, so they are an error here.
            default -> path.protocolError("reserved rsocket op " + ImmediateDescriptor.op(msg));
        }
    }

    private void onSendCompletion(final int i)
    {
        final int msg = (int)wcs.wrId(i);
        final int data = ImmediateDescriptor.data(msg);
        switch (ImmediateDescriptor.op(msg))
        {
            case OP_SGL -> control.onCreditsSent();
            case OP_CTRL -> control.onControlSent(data);
            case OP_IOMAP_SGL -> send.onSendCompleted(IomapDescriptor.LENGTH);
            default -> send.onSendCompleted(data);
        }
        if (WcStatus.SUCCESS.code() != wcs.statusCode(i) && 0 != (socket.state & CONNECTED))
        {
            path.fail(Errno.EIO.code());
        }
    }
}
