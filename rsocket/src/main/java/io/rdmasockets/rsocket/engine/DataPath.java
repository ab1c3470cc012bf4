package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WrOpcode;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReentrantLock;

import static io.rdmasockets.rsocket.engine.CompletionProcessor.TEST_CAN_SEND;
import static io.rdmasockets.rsocket.engine.CompletionProcessor.TEST_HAVE_RDATA;
import static io.rdmasockets.rsocket.engine.RsocketState.*;
import static io.rdmasockets.rsocket.protocol.ImmediateDescriptor.*;

/**
 * The data path of a connected stream rsocket: C's {@code rsend} and {@code rrecv} (wire-protocol doc
 * sections 2.1 to 2.4), allocation-free. Its {@link CompletionProcessor} reaps and waits for completions
 * ({@code rs_get_comp}, {@code rs_process_cq}, {@code rs_poll_cq}, sections 2.6 and 2.7); its
 * {@link ControlMessages} posts what goes in the control slots: credit updates ({@code rs_send_credits},
 * section 2.5), shutdown messages and keepalive probes. The three share the locks, the work request and
 * the {@code released} flag kept here.
 *
 * <p>Locking. Senders serialise on {@code sendLock} and readers on {@code recvLock}, so a blocked reader
 * never blocks a writer. All protocol state (windows, rings, posting to the queue pair) is touched only
 * under {@code stateLock}, held briefly; a thread that must wait for a completion releases it and waits
 * on the completion channel under the completion processor's {@code waitLock}, as C's
 * {@code cq_lock}/{@code cq_wait_lock} pair. Unlike C, the sender's accounting and the completion handler
 * never race on the same counters.
 */
final class DataPath
{
    /** {@code MSG_PEEK}. */
    static final int MSG_PEEK = 0x2;
    /** {@code MSG_DONTWAIT}. */
    static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_WAITALL}. */
    static final int MSG_WAITALL = 0x100;

    final StreamRsocket socket;
    final Endpoint ep;
    final SendWindow send;
    final ReceiveRing recv;
    /** The one send work request: data and control messages alike fill and post it under the state lock. */
    final SendWorkRequest wr = new SendWorkRequest(2);
    /** Credit updates, shutdown messages, keepalive probes. */
    final ControlMessages control;
    /** Reaping and waiting for completions. */
    final CompletionProcessor progress;
    /** riomap, riounmap, riowrite. */
    final IoMaps iomaps;
    private final SegmentCursor sendCursor = new SegmentCursor();
    private final SegmentCursor recvCursor = new SegmentCursor();
    private final MemorySegment[] sendOne = new MemorySegment[1];
    private final MemorySegment[] recvOne = new MemorySegment[1];
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock recvLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    /**
     * Counts posted sends and polled completion batches: keepalive probes only connections on which it stood
     * still (a counter, not a clock: a clock read per message costs a system call on some machines).
     * Guarded by the state lock.
     */
    long activity;
    /**
     * Set by close with every lock held, just before the queues and memory go: a caller that got past
     * the socket's state check and then waited for a lock must not touch them. Read under any of the
     * send, receive or state locks, here and by the completion processor and control messages.
     */
    boolean released;

    DataPath(final StreamRsocket socket, final Endpoint ep, final long pollingTimeUs, final long wakeUpIntervalMs)
    {
        this.socket = socket;
        this.ep = ep;
        this.send = new SendWindow(ep.targetSgl(), ep.sbufSize, ep.sqSize - Endpoint.QP_CTRL_SIZE);
        this.recv = new ReceiveRing(ep.rbuf, ep.rqSize);
        this.control = new ControlMessages(this);
        this.progress = new CompletionProcessor(this, pollingTimeUs, wakeUpIntervalMs);
        this.iomaps = new IoMaps(this);
    }

    /**
     * Applies the peer's connection data ({@code rs_save_conn_data}): its target SGL, its first receive
     * half and its credits (its receive queue size).
     *
     * @param peer the peer's connection data.
     */
    void onConnected(final ConnData.Peer peer)
    {
        control.onConnected(peer.sglAddress(), peer.sglKey(), peer.bigEndian());
        recv.remoteSglLength(peer.sglEntries());
        send.onConnected(peer.bufAddress(), peer.bufKey(), peer.bufLength(), peer.credits());
        iomaps.onConnected(peer);
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
        if (iomaps.pending())
        {
            // As C's rsend: iomap updates go first, so this data tells the peer they are in place.
            final int rc = iomaps.publish(nonblock);
            if (0 != rc)
            {
                return rc;
            }
        }
        sendCursor.start(iov, count, offset);
        long left = length;
        int ret = 0;
        boolean first = true;
        boolean wait = false;
        while (left > 0)
        {
            if (wait)
            {
                ret = progress.getComp(false, TEST_CAN_SEND, 0);
                if (0 != ret)
                {
                    break;
                }
                wait = false;
            }
            stateLock.lock();
            try
            {
                if (!send.canSend())
                {
                    // rs_get_comp's first pass, under this hold of the lock.
                    ret = progress.pollLocked();
                    if (0 != ret)
                    {
                        break;
                    }
                    if (!send.canSend() && 0 != (socket.state & WRITABLE))
                    {
                        if (nonblock)
                        {
                            ret = -Errno.EAGAIN.code();
                            break;
                        }
                        wait = true;
                        continue;
                    }
                }
                final int state = socket.state;
                if (0 == (state & WRITABLE))
                {
                    ret = -writeErrno();
                    break;
                }
                if (first)
                {
                    send.startChunking();
                    first = false;
                }
                final int xfer = send.transferSize(left);
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

    /**
     * {@code riowrite}: see {@link IoMaps#write}.
     *
     * @param src       the bytes.
     * @param srcOffset where they start in {@code src}.
     * @param count     how many.
     * @param offset    where they go in the peer's mappings.
     * @param nonblock  fail with {@code EAGAIN} instead of waiting.
     * @return bytes written (fewer than asked when a wait would follow), or a negative errno.
     */
    long write(final MemorySegment src, final long srcOffset, final long count, final long offset,
        final boolean nonblock)
    {
        sendLock.lock();
        try
        {
            return released ? -Errno.EBADF.code() : iomaps.write(src, srcOffset, count, offset, nonblock);
        }
        finally
        {
            sendLock.unlock();
        }
    }

    /**
     * Copies {@code length} bytes into the send ring (two SGEs across its end) and posts them as one RDMA
     * write; the caller has accounted for the ring bytes and the queue entry. Called with the state lock held.
     *
     * @param src           the bytes.
     * @param srcOffset     where they start.
     * @param length        how many.
     * @param opcode        {@link WrOpcode#RDMA_WRITE} (riowrite) or {@link WrOpcode#RDMA_WRITE_WITH_IMM}.
     * @param msg           the immediate and the work request id's low 32 bits.
     * @param remoteAddress where the bytes go.
     * @param rkey          the peer's key for it.
     * @return 0 or a negative errno.
     */
    int postCopied(final MemorySegment src, final long srcOffset, final int length, final int opcode,
        final int msg, final long remoteAddress, final int rkey)
    {
        final int start = send.reserveRing(length);
        final int first = Math.min(length, ep.sbufSize - start);
        MemorySegment.copy(src, srcOffset, ep.sbuf, start, first);
        if (length > first)
        {
            MemorySegment.copy(src, srcOffset + first, ep.sbuf, 0, length - first);
        }
        wr.reset().wrId(msg & 0xFFFF_FFFFL).opcode(opcode).flags(length <= ep.sqInline ? SendFlags.INLINE : 0)
            .remote(remoteAddress, rkey);
        if (WrOpcode.RDMA_WRITE_WITH_IMM == opcode)
        {
            wr.immData(msg);
        }
        wr.sgl().add(ep.sbuf.address() + start, first, ep.smr.lkey());
        if (length > first)
        {
            wr.sgl().add(ep.sbuf.address(), length - first, ep.smr.lkey());
        }
        return post();
    }

    /** The connection failed locally (a post or completion error): C's {@code rs_error}. */
    void fail(final int errno)
    {
        if (0 != (socket.state & CONNECTED))
        {
            socket.state = ERROR;
            socket.err = errno;
        }
    }

    /** The peer broke the protocol: stop using the connection and report ECONNRESET from now on. */
    void protocolError(final String what)
    {
        System.getLogger(StreamRsocket.class.getName()).log(System.Logger.Level.WARNING,
            "rsocket " + socket.cmId.localAddress() + " <- " + socket.cmId.peerAddress() + ": " + what +
            "; resetting");
        socket.state = ERROR;
        socket.err = Errno.EPROTO.code();
        try
        {
            ep.qp.modifyToError();
        }
        catch (final VerbsException ignored)
        {
            // Destroyed concurrently: the connection is gone either way.
        }
    }

    /** @return the errno for a write on a socket that is not writable. */
    int writeErrno()
    {
        final int s = socket.state;
        if (0 != (s & CONNECTED) && 0 == (s & (ERROR | DISCONNECTED)))
        {
            return Errno.EPIPE.code();
        }
        return Errno.ECONNRESET.code();
    }

    /** Posts {@link #wr}; called with the state lock held. */
    int post()
    {
        activity++;
        final int rc = ep.qp.postSend(wr);
        if (0 != rc)
        {
            fail(rc);
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
        // One state-lock section per pass: test for data, copy it out, and update credits (C's rrecv calls
        // rs_update_credits after the copy); a wait for data, unlocked, sends the next pass round again.
        boolean waited = false;
        do
        {
            stateLock.lock();
            try
            {
                if (!waited && !recv.hasData())
                {
                    // rs_get_comp's first pass, under this hold of the lock: what it brings is read at once.
                    ret = progress.pollLocked();
                    if (0 != ret)
                    {
                        break;
                    }
                    if (!recv.hasData())
                    {
                        if (0 == (socket.state & READABLE))
                        {
                            waited = true;
                        }
                        else if (nonblock)
                        {
                            ret = -Errno.EAGAIN.code();
                            break;
                        }
                    }
                }
                if (recv.hasData())
                {
                    waited = false;
                    if (0 != (flags & MSG_PEEK))
                    {
                        left -= recvCursor.peekFrom(recv, left);
                        break;
                    }
                    left -= recvCursor.readFrom(recv, left);
                    control.updateCredits();
                    continue;
                }
                if (waited)
                {
                    // Woken with nothing to read: end of stream, or the connection failed.
                    ret = 0 != (socket.state & ERROR) ? -readErrno() : 0;
                    break;
                }
            }
            finally
            {
                stateLock.unlock();
            }
            ret = progress.getComp(nonblock, TEST_HAVE_RDATA, deadlineNs);
            if (-Errno.ETIMEDOUT.code() == ret)
            {
                ret = -Errno.EAGAIN.code();
            }
            if (0 != ret)
            {
                break;
            }
            waited = true;
        }
        while (waited || (left > 0 && 0 != (flags & MSG_WAITALL) && 0 != (socket.state & READABLE)));
        return 0 != ret && left == length ? ret : length - left;
    }

    /** @return the errno for a read on a failed socket. */
    private static int readErrno()
    {
        return Errno.ECONNRESET.code();
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
}
