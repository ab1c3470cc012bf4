package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;

/**
 * The inbound half of a connection (reactor thread only): reads into a preallocated direct buffer,
 * parses frame headers and streams bodies straight into registered memory, so a body of any size is
 * placed without allocation; the unread rest of a large body is read from the socket into the region
 * itself ({@link RegionWindow}). Every one-sided access is checked here, at the target: rkey, bounds,
 * access flags and protection domain; zero-length writes are not checked (as on real HCAs).
 */
final class FrameReader
{
    /** Keep reading. */
    static final int CONTINUE = 0;
    /** A receive-consuming frame found no receive (RNR): stop reading until one is posted. */
    static final int STALLED = 1;
    /** The connection is gone. */
    static final int CLOSED = 2;

    private static final int SUCCESS = WcStatus.SUCCESS.code();

    private final TcpConnection connection;
    private final SocketChannel channel;
    private final ByteBuffer buffer;
    private final MemorySegment segment;
    private final int capacity;
    private final KeyTable rkeys;
    private int readPos;
    private int writePos;
    /** The ack psn of the last frame; the queue pair starts with nothing acknowledged (-1). */
    private int lastAck = -1;

    private boolean inBody;
    private int type;
    private int psn;
    private int immediate;
    private boolean solicited;
    private long bodyLength;
    private long remaining;
    private boolean discard;
    private boolean placementFailed;
    private boolean skip;
    private boolean refuseRequests;

    private TcpMemoryRegion[] regions;
    private long[] offsets;
    private int[] lengths;
    private int base;
    private int count;
    private int sge;
    private long sgeDone;
    private final TcpMemoryRegion[] oneRegion = new TcpMemoryRegion[1];
    private final long[] oneOffset = new long[1];
    private final int[] oneLength = new int[1];
    private final RegionWindow window = new RegionWindow();
    /** Body bytes read straight into registered memory (tests; read racily). */
    private volatile long directBytes;

    FrameReader(final TcpConnection connection, final SocketChannel channel, final int capacity, final KeyTable rkeys)
    {
        this.connection = connection;
        this.channel = channel;
        this.capacity = capacity;
        this.rkeys = rkeys;
        this.buffer = ByteBuffer.allocateDirect(capacity);
        this.segment = MemorySegment.ofBuffer(buffer);
    }

    /**
     * Reads what the socket has and processes it.
     *
     * @return {@link #CONTINUE}, {@link #STALLED} or {@link #CLOSED}.
     * @throws IOException on a socket error or end of stream.
     */
    int onReadable() throws IOException
    {
        for (int round = 0; round < 4; round++)
        {
            if (writePos == capacity)
            {
                return parse();
            }
            if (inBody && !discard && readPos == writePos)
            {
                final int direct = readDirect();
                if (direct >= 0)
                {
                    if (!connection.isOpen())
                    {
                        return CLOSED;
                    }
                    if (0 == direct)
                    {
                        return CONTINUE;
                    }
                    continue;
                }
            }
            buffer.limit(capacity).position(writePos);
            final int n = channel.read(buffer);
            if (n < 0)
            {
                throw new IOException("end of stream");
            }
            if (0 == n)
            {
                return CONTINUE;
            }
            writePos += n;
            final int result = parse();
            if (CONTINUE != result || writePos < capacity - HEADER_LENGTH - MAX_CM_BODY_LENGTH)
            {
                return result;
            }
        }
        return CONTINUE;
    }

    /**
     * With the staging buffer drained in the middle of a large body: reads the rest of the current SGE's
     * share straight into the registered memory, saving the copy out of the staging buffer.
     *
     * @return bytes placed (0: the socket had none), or -1 when this chunk goes through the staging buffer.
     * @throws IOException on a socket error or end of stream.
     */
    private int readDirect() throws IOException
    {
        if (sge >= count)
        {
            return -1;
        }
        final int i = base + sge;
        final long length = lengths[i] & 0xFFFF_FFFFL;
        final long chunk = Math.min(remaining, length - sgeDone);
        if (!window.worthIt(chunk))
        {
            return -1;
        }
        final TcpMemoryRegion region = regions[i];
        if (null == region.acquire())
        {
            return -1;
        }
        final int n;
        try
        {
            final ByteBuffer view = window.open(region, offsets[i] + sgeDone, (int)Math.min(chunk, Integer.MAX_VALUE));
            if (null == view)
            {
                return -1;
            }
            n = channel.read(view);
        }
        catch (final IllegalStateException ex)
        {
            // The arena closed before the read started (nothing consumed): the copy path fails the frame.
            return -1;
        }
        finally
        {
            region.release();
        }
        if (n < 0)
        {
            throw new IOException("end of stream");
        }
        directBytes += n;
        sgeDone += n;
        remaining -= n;
        if (sgeDone == length)
        {
            sge++;
            sgeDone = 0;
        }
        if (0 == remaining)
        {
            inBody = false;
            finishFrame();
        }
        return n;
    }

    /** @param bytes the start of the stream, read before this reader existed; parsed with what follows. */
    void seed(final byte[] bytes)
    {
        segment.asSlice(writePos, bytes.length).copyFrom(MemorySegment.ofArray(bytes));
        writePos += bytes.length;
    }

    /** @return true when no byte more fits (the parser waits for a receive with the buffer full). */
    boolean isFull()
    {
        return capacity - writePos < 1;
    }

    /** @return as {@link #onReadable()}, for bytes already buffered (after an RNR stall). */
    int parse()
    {
        while (true)
        {
            final int available = writePos - readPos;
            if (inBody)
            {
                if (0 == available)
                {
                    break;
                }
                final int n = (int)Math.min(available, remaining);
                if (!discard)
                {
                    place(n);
                }
                readPos += n;
                remaining -= n;
                if (0 == remaining)
                {
                    inBody = false;
                    finishFrame();
                }
                continue;
            }
            if (available < HEADER_LENGTH)
            {
                break;
            }
            final int t = TcpFrameDescriptor.type(segment, readPos);
            final long length = TcpFrameDescriptor.length(segment, readPos);
            if (!isKnown(t) || !isValidLength(t, length))
            {
                connection.onProtocolError("frame type " + t + " length " + length);
                return CLOSED;
            }
            if (isCm(t))
            {
                if (available < HEADER_LENGTH + length)
                {
                    break;
                }
                final int status = TcpFrameDescriptor.status(segment, readPos);
                final long body = readPos + HEADER_LENGTH;
                readPos += HEADER_LENGTH + (int)length;
                if (!connection.onCmFrame(t, status, segment, body, (int)length))
                {
                    return CLOSED;
                }
                continue;
            }
            final TcpQueuePair qp = connection.dataQueuePair();
            if (null == qp)
            {
                connection.onProtocolError("data frame before the connection is established");
                return CLOSED;
            }
            if (!startFrame(qp, t, length))
            {
                compact();
                return connection.isOpen() ? STALLED : CLOSED;
            }
            readPos += HEADER_LENGTH;
            remaining = bodyLength(t, length);
            if (remaining > 0)
            {
                inBody = true;
            }
            else
            {
                finishFrame();
            }
        }
        compact();
        return connection.isOpen() ? CONTINUE : CLOSED;
    }

    private void compact()
    {
        if (readPos == writePos)
        {
            readPos = 0;
            writePos = 0;
        }
        else if (readPos > 0 && capacity - writePos < HEADER_LENGTH + MAX_CM_BODY_LENGTH)
        {
            MemorySegment.copy(segment, readPos, segment, 0, writePos - readPos);
            writePos -= readPos;
            readPos = 0;
        }
    }

    /**
     * The requester's finite RNR retries ran out while this side had no receive: NAK the stalled request
     * with RNR_RETRY_EXC_ERR and drop it and everything after it (the requester is in ERR now).
     *
     * @return as {@link #parse()}.
     */
    int refuseStalled()
    {
        if (writePos - readPos >= HEADER_LENGTH)
        {
            connection.writer().nak(TcpFrameDescriptor.psn(segment, readPos), WcStatus.RNR_RETRY_EXC_ERR.code());
        }
        refuseRequests = true;
        return parse();
    }

    /** @return false when the frame must wait for a receive (header left unconsumed). */
    private boolean startFrame(final TcpQueuePair qp, final int t, final long length)
    {
        final int o = readPos;
        psn = TcpFrameDescriptor.psn(segment, o);
        immediate = TcpFrameDescriptor.immediate(segment, o);
        solicited = 0 != (flags(segment, o) & FLAG_SOLICITED);
        type = t;
        bodyLength = length;
        discard = true;
        placementFailed = false;
        skip = false;
        final int ack = ackPsn(segment, o);
        if (ack != lastAck)
        {
            // Most frames repeat the last ack: only a new one needs the queue pair's lock.
            lastAck = ack;
            qp.onAck(ack);
        }
        final FrameWriter writer = connection.writer();
        switch (t)
        {
            case TYPE_ACK ->
            {
            }
            case TYPE_NAK -> qp.onNak(psn, TcpFrameDescriptor.status(segment, o));
            case TYPE_READ_RESP -> startReadResponse(qp, length);
            default ->
            {
                if (refuseRequests)
                {
                    // The requester failed with RNR_RETRY_EXC_ERR: what it sent after that is dropped.
                    skip = true;
                    return true;
                }
                if (QpState.RTS != qp.state())
                {
                    // A responder in ERR answers instead of ignoring, so the requester fails fast.
                    writer.nak(psn, WcStatus.RETRY_EXC_ERR.code());
                    return true;
                }
                if (TYPE_SEND == t || TYPE_SEND_IMM == t || TYPE_WRITE_IMM == t)
                {
                    final int slot = qp.reserveReceive();
                    if (TcpQueuePair.NO_RECEIVE == slot)
                    {
                        return false;
                    }
                    if (TcpQueuePair.NOT_RECEIVING == slot)
                    {
                        writer.nak(psn, WcStatus.RETRY_EXC_ERR.code());
                        return true;
                    }
                    if (TYPE_WRITE_IMM != t)
                    {
                        startSend(qp, slot, length);
                        return true;
                    }
                }
                if (TYPE_READ_REQ == t)
                {
                    startReadRequest(qp, o, length);
                }
                else
                {
                    startWrite(qp, o, length);
                }
            }
        }
        return true;
    }

    private void startWrite(final TcpQueuePair qp, final int o, final long length)
    {
        if (0 == length)
        {
            return;
        }
        final TcpMemoryRegion region = rkeys.lookup(rkey(segment, o));
        final long offset = null == region ? -1 : region.offsetOf(remoteAddress(segment, o), length);
        if (null == region || offset < 0 || !region.permits(qp.pd(), Access.REMOTE_WRITE))
        {
            remoteAccessError(qp);
            return;
        }
        oneRegion[0] = region;
        oneOffset[0] = offset;
        oneLength[0] = (int)length;
        placeInto(oneRegion, oneOffset, oneLength, 0, 1);
    }

    private void startReadRequest(final TcpQueuePair qp, final int o, final long length)
    {
        TcpMemoryRegion region = null;
        long offset = 0;
        if (length > 0)
        {
            region = rkeys.lookup(rkey(segment, o));
            offset = null == region ? -1 : region.offsetOf(remoteAddress(segment, o), length);
            if (null == region || offset < 0 || !region.permits(qp.pd(), Access.REMOTE_READ))
            {
                remoteAccessError(qp);
                return;
            }
        }
        connection.writer().queueReadResponse(region, offset, (int)length, psn);
        connection.writer().executed(psn);
    }

    private void startSend(final TcpQueuePair qp, final int slot, final long length)
    {
        final ReceiveQueue rq = qp.receiveQueue();
        if (rq.badEntries[slot])
        {
            qp.completeReceive(WcStatus.LOC_PROT_ERR.code(), WcOpcode.RECV.code(), 0, 0, false, false);
            connection.writer().nak(psn, WcStatus.REM_OP_ERR.code());
            return;
        }
        if (length > rq.lengths[slot])
        {
            qp.completeReceive(WcStatus.LOC_LEN_ERR.code(), WcOpcode.RECV.code(), 0, 0, false, false);
            connection.writer().nak(psn, WcStatus.REM_INV_REQ_ERR.code());
            return;
        }
        placeInto(rq.sgeRegions, rq.sgeOffsets, rq.sgeLengths, slot * rq.maxSge, rq.sgeCounts[slot]);
    }

    private void startReadResponse(final TcpQueuePair qp, final long length)
    {
        final SendQueue sq = qp.sendQueue();
        final int slot = psn & sq.mask;
        if (QpState.ERR == qp.state())
        {
            return;
        }
        if (WrOpcode.RDMA_READ != sq.opcodes[slot] || length > sq.lengths[slot])
        {
            connection.onProtocolError("read response psn " + psn + " matches no read");
            return;
        }
        placeInto(sq.sgeRegions, sq.sgeOffsets, sq.sgeLengths, slot * sq.maxSge, sq.sgeCounts[slot]);
    }

    private void remoteAccessError(final TcpQueuePair qp)
    {
        connection.writer().nak(psn, WcStatus.REM_ACCESS_ERR.code());
        qp.fail(WcStatus.WR_FLUSH_ERR.code());
    }

    private void placeInto(
        final TcpMemoryRegion[] regions,
        final long[] offsets,
        final int[] lengths,
        final int base,
        final int count)
    {
        this.regions = regions;
        this.offsets = offsets;
        this.lengths = lengths;
        this.base = base;
        this.count = count;
        this.sge = 0;
        this.sgeDone = 0;
        this.discard = false;
    }

    private void place(final int n)
    {
        int left = n;
        long at = readPos;
        while (left > 0)
        {
            if (sge >= count)
            {
                fail();
                return;
            }
            final int i = base + sge;
            final long length = lengths[i] & 0xFFFF_FFFFL;
            final int chunk = (int)Math.min(left, length - sgeDone);
            final TcpMemoryRegion region = regions[i];
            final MemorySegment memory = region.acquire();
            if (null == memory)
            {
                fail();
                return;
            }
            try
            {
                MemorySegment.copy(segment, at, memory, offsets[i] + sgeDone, chunk);
            }
            catch (final RuntimeException ex)
            {
                // The region's arena was closed under us: an access error, never a write elsewhere.
                fail();
                return;
            }
            finally
            {
                region.release();
            }
            at += chunk;
            left -= chunk;
            sgeDone += chunk;
            if (sgeDone == length)
            {
                sge++;
                sgeDone = 0;
            }
        }
    }

    private void fail()
    {
        placementFailed = true;
        discard = true;
    }

    private void finishFrame()
    {
        final TcpQueuePair qp = connection.dataQueuePair();
        if (null == qp)
        {
            return;
        }
        if (skip)
        {
            return;
        }
        final FrameWriter writer = connection.writer();
        final boolean placed = !discard || (0 == bodyLength && !placementFailed);
        switch (type)
        {
            case TYPE_WRITE ->
            {
                if (placementFailed)
                {
                    remoteAccessError(qp);
                }
                else if (placed && QpState.RTS == qp.state())
                {
                    writer.executed(psn);
                }
            }
            case TYPE_WRITE_IMM, TYPE_SEND, TYPE_SEND_IMM ->
            {
                if (placementFailed)
                {
                    if (TYPE_WRITE_IMM == type)
                    {
                        remoteAccessError(qp);
                    }
                    else
                    {
                        qp.completeReceive(WcStatus.LOC_PROT_ERR.code(), WcOpcode.RECV.code(), 0, 0, false, false);
                        writer.nak(psn, WcStatus.REM_OP_ERR.code());
                    }
                }
                else if (placed && QpState.RTS == qp.state())
                {
                    final int opcode = TYPE_WRITE_IMM == type ? WcOpcode.RECV_RDMA_WITH_IMM.code() : WcOpcode.RECV.code();
                    qp.completeReceive(SUCCESS, opcode, (int)bodyLength, immediate, TYPE_SEND != type, solicited);
                    writer.executed(psn);
                }
            }
            case TYPE_READ_RESP ->
            {
                if (placementFailed)
                {
                    qp.fail(WcStatus.LOC_PROT_ERR.code());
                }
                else if (placed)
                {
                    qp.onReadDone(psn);
                }
            }
            default ->
            {
            }
        }
    }

    /** @return body bytes read from the socket straight into registered memory so far (tests). */
    long directBytes()
    {
        return directBytes;
    }

    /** @return the parser's position, read without synchronization (diagnostics). */
    String describe()
    {
        return "reader: readPos=" + readPos + " writePos=" + writePos + " inBody=" + inBody + " type=" + type +
            " psn=" + psn + " remaining=" + remaining + " lastAck=" + lastAck + " refuseRequests=" + refuseRequests;
    }
}
