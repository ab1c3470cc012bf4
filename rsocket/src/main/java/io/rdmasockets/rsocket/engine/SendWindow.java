package io.rdmasockets.rsocket.engine;

import io.rdmasockets.rsocket.protocol.SgeDescriptor;
import io.rdmasockets.rsocket.protocol.SgeFlyweight;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * The send side of a stream rsocket (wire-protocol doc sections 2.3 to 2.5): credits as 16-bit sequence
 * limits, send-queue entries, send-ring bytes, and the cursor over the target SGL that the peer fills
 * with its receive-buffer halves.
 *
 * <p>The target SGL lives in registered memory that the peer RDMA-writes while this side reads it; it
 * is kept in this side's own byte order (little-endian: the connection data does not set
 * {@code RS_CONN_FLAG_NET}). A message never crosses a target SGE, and an SGE is left only when it is
 * completely consumed, so data lands contiguously in the peer's ring.
 *
 * <p><b>Note:</b> not thread safe; the engine serialises access.
 */
final class SendWindow
{
    /** {@code RS_SNDLOWAT}: the least free send-ring space to start a message. */
    static final int SNDLOWAT = 2048;
    /** {@code RS_OLAP_START_SIZE}: the first chunk of a large send. */
    static final int OLAP_START_SIZE = 2048;
    /** {@code RS_MAX_TRANSFER}: the largest data message C sends. */
    static final int MAX_TRANSFER = 65536;

    private final SgeFlyweight[] targetSgl = new SgeFlyweight[SgeDescriptor.SGL_SIZE];
    private final int sbufSize;
    private int targetSge;
    private int sseqNo;
    private int sseqComp;
    private int sqeAvail;
    private int sbufBytesAvail;
    private int sbufHead;
    private int chunk = OLAP_START_SIZE;

    /**
     * @param targetSgl memory for {@link SgeDescriptor#SGL_SIZE} entries, registered for remote write.
     * @param sbufSize  the send ring's size in bytes.
     * @param sqeAvail  send-queue entries for data ({@code sq_size} minus the control reserve).
     */
    SendWindow(final MemorySegment targetSgl, final int sbufSize, final int sqeAvail)
    {
        for (int i = 0; i < this.targetSgl.length; i++)
        {
            this.targetSgl[i] = new SgeFlyweight().wrap(targetSgl, (long)i * SgeDescriptor.LENGTH,
                ByteOrder.LITTLE_ENDIAN);
        }
        this.sbufSize = sbufSize;
        this.sbufBytesAvail = sbufSize;
        this.sqeAvail = sqeAvail;
    }

    /**
     * Applies the peer's connection data ({@code rs_save_conn_data}): its first receive-buffer half
     * becomes target SGE 0, its credits the first limit.
     *
     * @param address the peer's {@code data_buf.addr}.
     * @param rkey    its rkey.
     * @param length  its length.
     * @param credits the peer's {@code credits}.
     */
    void onConnected(final long address, final int rkey, final long length, final int credits)
    {
        targetSgl[0].set(address, rkey, length);
        // Entry 1 is left alone: it is zero from allocation, and the peer may already have written its
        // first credit update into it (it grants the second half as soon as it is connected, which can be
        // before we process ESTABLISHED). Zeroing it here lost that update and stalled after half a ring.
        targetSge = 0;
        sseqComp = credits & 0xFFFF;
    }

    /**
     * The peer granted credits (an {@code RS_OP_SGL} immediate).
     *
     * @param data the immediate's data field; its low 16 bits are the new limit.
     */
    void onCredits(final int data)
    {
        sseqComp = data & 0xFFFF;
    }

    /** @return true when a data message may start now ({@code rs_can_send}). */
    boolean canSend()
    {
        return sqeAvail > 0 && sbufBytesAvail >= SNDLOWAT && sseqNo != sseqComp &&
            targetSgl[targetSge].length() != 0;
    }

    /**
     * @return true when a direct write (riowrite) or an iomap update may start now: a send-queue entry and
     *         {@link #SNDLOWAT} ring bytes. Unlike C's {@code rs_can_send} no credit and no target SGE: neither
     *         uses the peer's receive ring (wire-protocol doc section 3).
     */
    boolean canWrite()
    {
        return sqeAvail > 0 && sbufBytesAvail >= SNDLOWAT;
    }

    /**
     * Accounts for a riowrite chunk or an iomap update about to be posted ({@code rs_write_direct},
     * {@code rs_write_iomap}): one send-queue entry and {@code length} ring bytes, no credit (see
     * {@link IoMaps} on C's credit leak) and no target SGE.
     *
     * @param length bytes copied into the ring.
     */
    void onDirectPosted(final int length)
    {
        sqeAvail--;
        sbufBytesAvail -= length;
    }

    /**
     * The size of the next riowrite chunk ({@code rs_write_direct}): chunked as {@code rsend}'s messages
     * ({@link #startChunking}), capped by what is left, by free send ring bytes (the bytes are copied there
     * first) and by what is left of the peer's mapping.
     *
     * @param left        bytes the caller still wants to write.
     * @param mappingLeft bytes of the peer's mapping from the write's offset on.
     * @return bytes for the next chunk.
     */
    int directTransferSize(final long left, final long mappingLeft)
    {
        return (int)Math.min(Math.min(chunk, left), Math.min(sbufBytesAvail, mappingLeft));
    }

    /**
     * Accounts for a riowrite chunk about to be posted: as {@link #onDirectPosted}, and the chunk grows as
     * after an {@code rsend} message.
     *
     * @param length bytes copied into the ring.
     */
    void onDirectChunkPosted(final int length)
    {
        onDirectPosted(length);
        if (chunk < MAX_TRANSFER)
        {
            chunk <<= 1;
        }
    }

    /**
     * Starts an {@code rsend}'s (or a riowrite's) chunking. C restarts at {@link #OLAP_START_SIZE} on every call, so that the
     * first small message goes out while the rest is still being copied; chunking is local policy (section
     * 10). That overlap only pays when the pipe is idle: while earlier messages are still in flight there
     * is no start-up to hide, and restarting would cut every 64 KiB send into six messages (six work
     * requests, completions and immediates for the peer). So the chunk restarts only once the send ring
     * has drained, and otherwise continues where the last send left it.
     */
    void startChunking()
    {
        if (sbufBytesAvail == sbufSize)
        {
            chunk = OLAP_START_SIZE;
        }
    }

    /**
     * The size of the next message ({@code rsend}): the chunk size (2 KiB doubling to 64 KiB per message,
     * see {@link #startChunking}), capped by what is left, by free send ring bytes and by the current
     * target SGE, so no message crosses an SGE.
     *
     * @param left bytes the caller still wants to send.
     * @return bytes for the next message.
     */
    int transferSize(final long left)
    {
        long size = Math.min(chunk, left);
        size = Math.min(size, sbufBytesAvail);
        size = Math.min(size, targetSgl[targetSge].length());
        return (int)size;
    }

    /** @return the peer address the next message goes to (the current target SGE's address). */
    long targetAddress()
    {
        return targetSgl[targetSge].address();
    }

    /** @return the rkey of the current target SGE. */
    int targetKey()
    {
        return targetSgl[targetSge].key();
    }

    /**
     * Accounts for a data message about to be posted ({@code rs_write_data}): one credit, one send-queue
     * entry, {@code length} ring bytes, and the target SGE advanced.
     *
     * @param length the message's bytes.
     */
    void onDataPosted(final int length)
    {
        sseqNo = (sseqNo + 1) & 0xFFFF;
        sqeAvail--;
        sbufBytesAvail -= length;
        if (chunk < MAX_TRANSFER)
        {
            chunk <<= 1;
        }
        final SgeFlyweight sge = targetSgl[targetSge];
        final long remaining = sge.length() - length;
        sge.set(sge.address() + length, sge.key(), remaining);
        if (0 == remaining)
        {
            targetSge = targetSge + 1 == targetSgl.length ? 0 : targetSge + 1;
        }
    }

    /**
     * Reserves {@code length} bytes of the send ring for a copy and returns where they start; a copy that
     * would run past the end wraps (the caller posts two SGEs then).
     *
     * @param length bytes to copy.
     * @return the ring offset of the first byte.
     */
    int reserveRing(final int length)
    {
        final int start = sbufHead;
        sbufHead += length;
        if (sbufHead >= sbufSize)
        {
            sbufHead -= sbufSize;
        }
        return start;
    }

    /**
     * A data (or riowrite) send completed: its queue entry and ring bytes are free again.
     *
     * @param length the message's bytes.
     */
    void onSendCompleted(final int length)
    {
        sqeAvail++;
        sbufBytesAvail += length;
    }

    /** @return send-queue entries free for data. */
    int queueEntriesAvailable()
    {
        return sqeAvail;
    }

    /** @return free send-ring bytes. */
    int ringBytesAvailable()
    {
        return sbufBytesAvail;
    }

    /** @return the send ring's size. */
    int ringSize()
    {
        return sbufSize;
    }

    /** @return data messages sent, modulo 2^16. */
    int sequenceNumber()
    {
        return sseqNo;
    }

    /** @return the current credit limit. */
    int sequenceLimit()
    {
        return sseqComp;
    }

    /** @return the index of the current target SGE. */
    int targetSgeIndex()
    {
        return targetSge;
    }
}
