package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;

/**
 * The outbound half of a connection: fills one preallocated direct staging buffer with frames (CM
 * frames, NAK, read responses, requests from the send queue, ACKs) and writes it to the socket. Large
 * payloads are streamed through the buffer in pieces; nothing allocates per operation.
 *
 * <p>Every write is a system call that costs about as much as copying tens of kilobytes, so requests
 * are coalesced: a thread that busy-polls a completion queue this connection feeds may leave what it
 * posts for its next poll ({@link #posted}), which writes everything queued by then in one call, up to
 * {@link TcpConfiguration#coalesceBytes()}. Otherwise the posting thread writes at once. When the socket
 * is full the reactor finishes the job on OP_WRITE, and polls retry too.
 *
 * <p>ACKs: a frame always carries the cumulative ack psn. A standalone ACK is written by a busy poller
 * only once it is {@link TcpConfiguration#ackDelayNs() owed for a while} or {@value #ACK_EVERY} requests
 * are unacknowledged (an answer the application is about to send carries it for free), by the reactor
 * at the end of a read batch, and whenever the poller leaves.
 *
 * <p><b>Note:</b> guarded by this object's monitor; it never takes the queue pair's lock (it reads
 * published send-queue slots through the volatile tail).
 */
final class FrameWriter
{
    private static final int NONE = 0;
    private static final int REQUEST = 1;
    private static final int READ_RESPONSE = 2;
    private static final int POSTER_ROUNDS = 2;
    /** Executed requests after which a poller acknowledges without waiting for the ack delay. */
    static final int ACK_EVERY = 16;
    /** Polls that see an ACK owed before its delay is timed (an answer usually comes first; no clock). */
    private static final int ACK_POLLS = 4;

    private final TcpConnection connection;
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private final MemorySegment segment;
    private final int capacity;
    private final ArrayDeque<byte[]> controlFrames = new ArrayDeque<>();
    private final int coalesceBytes = TcpConfiguration.coalesceBytes();
    private final long ackDelayNs = TcpConfiguration.ackDelayNs();
    private int start;
    private int end;
    /** The socket took less than offered: the reactor waits for OP_WRITE; polls retry. */
    private volatile boolean blocked;
    /** A NAK, read response or CM frame waits (lock-free hint for pollers). */
    private volatile boolean urgent;
    /** {@link #afterWrite} has something to do (lock-free hint). */
    private volatile boolean outcome;
    private boolean closeWhenDrained;
    private boolean closeNow;
    private boolean failQueuePair;
    private Exception failure;
    /** Bytes of requests posted but left for a poll to write. */
    private int deferredBytes;
    /** Write system calls and standalone ACKs so far (tests). */
    private long writeCalls;
    private long standaloneAcks;

    private volatile TcpQueuePair qp;
    /** Next request to transmit; written under the monitor, read by pollers without it. */
    private volatile int txPsn;
    private int frameKind = NONE;
    private int frameSlot;
    private int frameSge;
    private long frameSgeDone;
    private long frameRemaining;
    private boolean preferResponses;

    /** Written by the reader once a request has executed; carried as the ack psn. */
    private volatile int executedPsn = -1;
    private volatile int ackSentPsn = -1;
    /** When a poll started timing the owed ACK (nanoTime), or 0: the ack delay's clock. */
    private volatile long ackOwedSinceNs;
    /** Polls that saw the ACK owed; a hint, racy by design. */
    private int ackOwedPolls;
    private boolean nakPending;
    private boolean nakSent;
    private int nakPsn;
    private int nakStatus;

    private final ReadResponses responses = new ReadResponses();

    FrameWriter(final TcpConnection connection, final SocketChannel channel, final int capacity)
    {
        this.connection = connection;
        this.channel = channel;
        this.capacity = capacity;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.segment = MemorySegment.ofBuffer(buffer);
    }

    /** @param qp the queue pair whose send queue this writer transmits, once connected. */
    synchronized void attach(final TcpQueuePair qp)
    {
        this.qp = qp;
        this.txPsn = qp.sendQueue().tail - (qp.sendQueue().tail - qp.sendQueue().head);
    }

    /** @param frame a complete encoded CM frame to send at the next frame boundary. */
    synchronized void enqueueControl(final byte[] frame)
    {
        controlFrames.addLast(frame);
        urgent = true;
    }

    /** Sends what is queued and then closes the connection. */
    synchronized void closeWhenDrained()
    {
        closeWhenDrained = true;
        urgent = true;
    }

    /** @param psn the newest request that has executed here (reader thread). */
    void executed(final int psn)
    {
        executedPsn = psn;
    }

    /**
     * Queues a NAK (only the first one of a connection is sent: after it both sides are in ERR).
     *
     * @param psn    the refused request.
     * @param status its wc status at the requester.
     */
    synchronized void nak(final int psn, final int status)
    {
        if (!nakSent && !nakPending)
        {
            nakPending = true;
            nakPsn = psn;
            nakStatus = status;
            urgent = true;
        }
    }

    /**
     * Queues an RDMA read response; the region was checked by the reader.
     *
     * @param region source region.
     * @param offset offset inside it.
     * @param length bytes.
     * @param psn    the read's psn.
     */
    synchronized void queueReadResponse(final TcpMemoryRegion region, final long offset, final int length, final int psn)
    {
        responses.add(region, offset, length, psn);
        urgent = true;
    }

    /** From a posting thread: write now if the socket is not backed up, else leave it to the reactor. */
    void flushFromPoster()
    {
        final boolean needReactor;
        synchronized (this)
        {
            if (blocked)
            {
                return;
            }
            needReactor = write(POSTER_ROUNDS);
        }
        if (needReactor)
        {
            connection.scheduleFlush();
        }
        afterWrite();
    }

    /**
     * A request of {@code length} bytes was posted: write it now, or leave it for the poster's next poll.
     *
     * @param length   its payload bytes.
     * @param mayDefer the posting thread busy-polls a queue this connection feeds, so it polls again soon.
     */
    void posted(final int length, final boolean mayDefer)
    {
        final boolean needReactor;
        synchronized (this)
        {
            if (blocked)
            {
                // The reactor (OP_WRITE) or the next poll writes it with what is queued before it.
                return;
            }
            deferredBytes += HEADER_LENGTH + length;
            if (mayDefer && deferredBytes < coalesceBytes)
            {
                return;
            }
            needReactor = write(POSTER_ROUNDS);
        }
        if (needReactor)
        {
            connection.scheduleFlush();
        }
        afterWrite();
    }

    /**
     * From a thread polling a completion queue this connection feeds: writes what waits, also when the
     * socket was full (the reactor then still holds OP_WRITE and is not woken again).
     */
    void flushFromPoller()
    {
        final boolean wasBlocked;
        final boolean needReactor;
        synchronized (this)
        {
            wasBlocked = blocked;
            needReactor = write(POSTER_ROUNDS);
        }
        if (needReactor && !wasBlocked)
        {
            connection.scheduleFlush();
        }
        afterWrite();
    }

    /**
     * Lock-free: whether a poll should write now. Deferred requests and anything urgent go at once; an
     * owed ACK only after the ack delay (or {@value #ACK_EVERY} requests), so that an answer carries it.
     *
     * @return true when {@link #flushFromPoller()} has work.
     */
    boolean wantsPollerFlush()
    {
        if (urgent || blocked || hasDeferredRequests())
        {
            return true;
        }
        final int executed = executedPsn;
        final int sent = ackSentPsn;
        if (executed == sent || null == qp)
        {
            return false;
        }
        if (executed - sent >= ACK_EVERY)
        {
            return true;
        }
        if (ackOwedPolls < ACK_POLLS)
        {
            ackOwedPolls++;
            return false;
        }
        final long since = ackOwedSinceNs;
        final long now = System.nanoTime();
        if (0 == since)
        {
            ackOwedSinceNs = now;
            return 0 == ackDelayNs;
        }
        return now - since >= ackDelayNs;
    }

    /** @return lock-free: anything at all to write (deferred requests, an owed ACK, urgent frames). */
    boolean hasWork()
    {
        return urgent || blocked || hasDeferredRequests() || (executedPsn != ackSentPsn && null != qp);
    }

    /** @return write system calls made so far (tests). */
    synchronized long writeCalls()
    {
        return writeCalls;
    }

    /** @return ACK frames written alone so far, not carried by another frame (tests). */
    synchronized long standaloneAcks()
    {
        return standaloneAcks;
    }

    /** @return lock-free: a NAK, read response or CM frame waits, which must not wait for a poll. */
    boolean hasUrgent()
    {
        return urgent;
    }

    private boolean hasDeferredRequests()
    {
        final TcpQueuePair q = qp;
        return null != q && txPsn != q.sendQueue().tail && QpState.RTS == q.state();
    }

    /** Acts on what {@link #write} found, outside the monitor (closing takes other locks). */
    private void afterWrite()
    {
        if (!outcome)
        {
            return;
        }
        final Exception ex;
        final boolean close;
        final TcpQueuePair failed;
        synchronized (this)
        {
            ex = failure;
            failure = null;
            close = closeNow;
            closeNow = false;
            failed = failQueuePair ? qp : null;
            failQueuePair = false;
            outcome = false;
        }
        if (null != failed)
        {
            failed.fail(WcStatus.WR_FLUSH_ERR.code());
        }
        if (null != ex)
        {
            connection.onTransportFailure(ex);
        }
        else if (close)
        {
            connection.closeQuietly();
        }
    }

    /**
     * From the reactor: write as much as the socket takes.
     *
     * @return true when bytes remain and OP_WRITE is needed.
     */
    boolean flushFromReactor()
    {
        final boolean more;
        synchronized (this)
        {
            blocked = false;
            write(Integer.MAX_VALUE);
            more = blocked;
        }
        afterWrite();
        return more;
    }

    /** @return true when the reactor must continue (socket full, or poster round limit reached). */
    private boolean write(final int rounds)
    {
        deferredBytes = 0;
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                fill();
                if (start == end)
                {
                    blocked = false;
                    if (closeWhenDrained)
                    {
                        closeNow = true;
                        outcome = true;
                    }
                    return false;
                }
                buffer.limit(end).position(start);
                writeCalls++;
                start += channel.write(buffer);
                if (start != end)
                {
                    blocked = true;
                    return true;
                }
                start = 0;
                end = 0;
            }
            return true;
        }
        catch (final IOException | RuntimeException ex)
        {
            failure = ex;
            outcome = true;
            return false;
        }
    }

    private void fill()
    {
        if (start > 0 && start == end)
        {
            start = 0;
            end = 0;
        }
        while (true)
        {
            final int room = capacity - end;
            if (NONE != frameKind)
            {
                if (0 == room)
                {
                    return;
                }
                continueFrame(room);
                continue;
            }
            if (room < HEADER_LENGTH + MAX_CM_BODY_LENGTH)
            {
                return;
            }
            if (!controlFrames.isEmpty())
            {
                final byte[] frame = controlFrames.pollFirst();
                MemorySegment.copy(frame, 0, segment, java.lang.foreign.ValueLayout.JAVA_BYTE, end, frame.length);
                end += frame.length;
                continue;
            }
            if (closeWhenDrained)
            {
                return;
            }
            if (nakPending)
            {
                nakPending = false;
                nakSent = true;
                header(TYPE_NAK, 0, nakStatus, 0, nakPsn, 0, 0, 0);
                continue;
            }
            if (startDataFrame())
            {
                continue;
            }
            // Control frames, NAK and read responses are all out (or in the buffer).
            urgent = false;
            final int executed = executedPsn;
            if (executed != ackSentPsn && null != qp)
            {
                standaloneAcks++;
                header(TYPE_ACK, 0, 0, 0, 0, 0, 0, 0);
                continue;
            }
            return;
        }
    }

    private boolean startDataFrame()
    {
        final TcpQueuePair q = qp;
        if (null == q)
        {
            return false;
        }
        final boolean responding = !responses.isEmpty();
        final SendQueue sq = q.sendQueue();
        final boolean requests = txPsn != sq.tail && QpState.RTS == q.state();
        if (responding && (preferResponses || !requests))
        {
            preferResponses = false;
            final TcpMemoryRegion region = responses.region();
            if (null != region && null == region.memory())
            {
                // Deregistered (or its arena closed) since the request was checked: an access error.
                nak(responses.psn(), WcStatus.REM_ACCESS_ERR.code());
                responses.clear();
                failQueuePair = true;
                outcome = true;
                return true;
            }
            header(TYPE_READ_RESP, 0, 0, responses.length(), responses.psn(), 0, 0, 0);
            frameKind = READ_RESPONSE;
            frameRemaining = responses.length();
            if (0 == frameRemaining)
            {
                finishResponse();
            }
            return true;
        }
        if (requests)
        {
            preferResponses = true;
            final int psn = txPsn;
            final int slot = psn & sq.mask;
            final int opcode = sq.opcodes[slot];
            final int type = switch (opcode)
            {
                case WrOpcode.RDMA_WRITE -> TYPE_WRITE;
                case WrOpcode.RDMA_WRITE_WITH_IMM -> TYPE_WRITE_IMM;
                case WrOpcode.SEND_WITH_IMM -> TYPE_SEND_IMM;
                case WrOpcode.RDMA_READ -> TYPE_READ_REQ;
                default -> TYPE_SEND;
            };
            final int flags = 0 != (sq.flags[slot] & SendFlags.SOLICITED) ? FLAG_SOLICITED : 0;
            header(type, flags, 0, sq.lengths[slot], psn, sq.immediates[slot], sq.rkeys[slot],
                sq.remoteAddresses[slot]);
            txPsn = psn + 1;
            if (TYPE_READ_REQ != type && 0 != sq.lengths[slot])
            {
                frameKind = REQUEST;
                frameSlot = slot;
                frameSge = 0;
                frameSgeDone = 0;
                frameRemaining = sq.lengths[slot];
            }
            return true;
        }
        return false;
    }

    private void header(
        final int type,
        final int flags,
        final int status,
        final int length,
        final int psn,
        final int immediate,
        final int rkey,
        final long address)
    {
        final int ack = executedPsn;
        putHeader(segment, end, type, flags, status, length, psn, ack, immediate, rkey, address);
        if (ack != ackSentPsn)
        {
            ackOwedSinceNs = 0;
            ackOwedPolls = 0;
            ackSentPsn = ack;
        }
        end += HEADER_LENGTH;
    }

    private void continueFrame(final int room)
    {
        final int n = (int)Math.min(room, frameRemaining);
        if (READ_RESPONSE == frameKind)
        {
            final long offset = responses.offset() + (responses.length() - frameRemaining);
            copyOut(responses.region(), offset, n);
            end += n;
            frameRemaining -= n;
            if (0 == frameRemaining)
            {
                finishResponse();
            }
            return;
        }
        final SendQueue sq = qp.sendQueue();
        if (sq.inline[frameSlot])
        {
            final long from = (long)frameSlot * sq.maxInline + (sq.lengths[frameSlot] - frameRemaining);
            MemorySegment.copy(sq.inlineData, from, segment, end, n);
            end += n;
            frameRemaining -= n;
        }
        else
        {
            int left = n;
            final int base = frameSlot * sq.maxSge;
            while (left > 0)
            {
                final int length = sq.sgeLengths[base + frameSge];
                final int chunk = (int)Math.min(left, (length & 0xFFFF_FFFFL) - frameSgeDone);
                copyOut(sq.sgeRegions[base + frameSge], sq.sgeOffsets[base + frameSge] + frameSgeDone, chunk);
                end += chunk;
                left -= chunk;
                frameRemaining -= chunk;
                frameSgeDone += chunk;
                if (frameSgeDone == (length & 0xFFFF_FFFFL))
                {
                    frameSge++;
                    frameSgeDone = 0;
                }
            }
        }
        if (0 == frameRemaining)
        {
            frameKind = NONE;
        }
    }

    private void copyOut(final TcpMemoryRegion region, final long offset, final int length)
    {
        final MemorySegment memory = region.memory();
        try
        {
            if (null == memory)
            {
                throw new IllegalStateException("region closed");
            }
            MemorySegment.copy(memory, offset, segment, end, length);
        }
        catch (final RuntimeException ex)
        {
            // The region's arena closed under an outstanding request: the frame must still be complete.
            segment.asSlice(end, length).fill((byte)0);
        }
    }

    private void finishResponse()
    {
        responses.removeFirst();
        frameKind = NONE;
    }

    /** @return the writer's position, read without the monitor (diagnostics). */
    String describe()
    {
        final TcpQueuePair q = qp;
        return "writer: start=" + start + " end=" + end + " blocked=" + blocked + " urgent=" + urgent +
            " frameKind=" + frameKind + " txPsn=" + txPsn + " sqTail=" + (null == q ? "-" : q.sendQueue().tail) +
            " executedPsn=" + executedPsn + " ackSentPsn=" + ackSentPsn + " deferredBytes=" + deferredBytes +
            " controlFrames=" + controlFrames.size() + " writeCalls=" + writeCalls;
    }
}
