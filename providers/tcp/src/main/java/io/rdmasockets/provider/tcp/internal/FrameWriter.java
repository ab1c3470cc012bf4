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
 * <p>A posting thread writes directly when the socket takes the bytes; when the socket is full the
 * reactor finishes the job on OP_WRITE.
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

    private final TcpConnection connection;
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private final MemorySegment segment;
    private final int capacity;
    private final ArrayDeque<byte[]> controlFrames = new ArrayDeque<>();
    private int start;
    private int end;
    private boolean blocked;
    private boolean closeWhenDrained;
    private boolean closeNow;
    private boolean failQueuePair;
    private Exception failure;

    private TcpQueuePair qp;
    private int txPsn;
    private int frameKind = NONE;
    private int frameSlot;
    private int frameSge;
    private long frameSgeDone;
    private long frameRemaining;
    private boolean preferResponses;

    /** Written by the reader once a request has executed; carried as the ack psn. */
    private volatile int executedPsn = -1;
    private int ackSentPsn = -1;
    private boolean nakPending;
    private boolean nakSent;
    private int nakPsn;
    private int nakStatus;

    private TcpMemoryRegion[] responseRegions = new TcpMemoryRegion[16];
    private long[] responseOffsets = new long[16];
    private int[] responseLengths = new int[16];
    private int[] responsePsns = new int[16];
    private int responseHead;
    private int responseTail;

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
    }

    /** Sends what is queued and then closes the connection. */
    synchronized void closeWhenDrained()
    {
        closeWhenDrained = true;
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
        if (responseTail - responseHead == responseRegions.length)
        {
            growResponses();
        }
        final int i = responseTail & (responseRegions.length - 1);
        responseRegions[i] = region;
        responseOffsets[i] = offset;
        responseLengths[i] = length;
        responsePsns[i] = psn;
        responseTail++;
    }

    private void growResponses()
    {
        final int n = responseRegions.length;
        final TcpMemoryRegion[] regions = new TcpMemoryRegion[n * 2];
        final long[] offsets = new long[n * 2];
        final int[] lengths = new int[n * 2];
        final int[] psns = new int[n * 2];
        for (int k = 0; k < n; k++)
        {
            final int from = (responseHead + k) & (n - 1);
            regions[k] = responseRegions[from];
            offsets[k] = responseOffsets[from];
            lengths[k] = responseLengths[from];
            psns[k] = responsePsns[from];
        }
        responseRegions = regions;
        responseOffsets = offsets;
        responseLengths = lengths;
        responsePsns = psns;
        responseTail = n;
        responseHead = 0;
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

    /** Acts on what {@link #write} found, outside the monitor (closing takes other locks). */
    private void afterWrite()
    {
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

    /** @return true when a NAK, read response or CM frame waits (an ACK alone may wait a little). */
    synchronized boolean hasUrgentWorkBesidesAck()
    {
        return nakPending || responseHead != responseTail || !controlFrames.isEmpty();
    }

    /** @return true when the reader should flush (an ACK, NAK or response waits). */
    synchronized boolean hasUrgentWork()
    {
        return executedPsn != ackSentPsn || nakPending || responseHead != responseTail || !controlFrames.isEmpty();
    }

    /** @return true when the reactor must continue (socket full, or poster round limit reached). */
    private boolean write(final int rounds)
    {
        try
        {
            for (int r = 0; r < rounds; r++)
            {
                fill();
                if (start == end)
                {
                    closeNow = closeWhenDrained;
                    return false;
                }
                buffer.limit(end).position(start);
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
            final int executed = executedPsn;
            if (executed != ackSentPsn && null != qp)
            {
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
        final boolean responses = responseHead != responseTail;
        final SendQueue sq = q.sendQueue();
        final boolean requests = txPsn != sq.tail && QpState.RTS == q.state();
        if (responses && (preferResponses || !requests))
        {
            preferResponses = false;
            final int i = responseHead & (responseRegions.length - 1);
            final TcpMemoryRegion region = responseRegions[i];
            if (null != region && null == region.memory())
            {
                // Deregistered (or its arena closed) since the request was checked: an access error.
                nak(responsePsns[i], WcStatus.REM_ACCESS_ERR.code());
                java.util.Arrays.fill(responseRegions, null);
                responseHead = responseTail;
                failQueuePair = true;
                return true;
            }
            header(TYPE_READ_RESP, 0, 0, responseLengths[i], responsePsns[i], 0, 0, 0);
            frameKind = READ_RESPONSE;
            frameRemaining = responseLengths[i];
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
        ackSentPsn = ack;
        end += HEADER_LENGTH;
    }

    private void continueFrame(final int room)
    {
        final int n = (int)Math.min(room, frameRemaining);
        if (READ_RESPONSE == frameKind)
        {
            final int i = responseHead & (responseRegions.length - 1);
            final long offset = responseOffsets[i] + (responseLengths[i] - frameRemaining);
            copyOut(responseRegions[i], offset, n);
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
        final int i = responseHead & (responseRegions.length - 1);
        responseRegions[i] = null;
        responseHead++;
        frameKind = NONE;
    }
}
