package io.rdmasockets.provider.tcp.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The wire format of the tcp provider: one RC queue pair is one TCP connection carrying frames with a
 * fixed 32-byte header, all fields big-endian (network order).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |     type      |     flags     |            status             |  0
 *  +---------------+---------------+-------------------------------+
 *  |                         length (u32)                          |  4
 *  +---------------------------------------------------------------+
 *  |                  psn: request sequence (u32)                  |  8
 *  +---------------------------------------------------------------+
 *  |      ack psn: every request up to it has executed (u32)       | 12
 *  +---------------------------------------------------------------+
 *  |                    immediate (as htobe32)                     | 16
 *  +---------------------------------------------------------------+
 *  |                          rkey (u32)                           | 20
 *  +---------------------------------------------------------------+
 *  |                     remote address (u64)                      | 24
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |        body: length bytes (none for READ_REQ, see below)     ... 32
 * </pre>
 *
 * <p>{@code length} is the body length, except for READ_REQ where it is the number of bytes to read
 * and no body follows. {@code ack psn} rides on every data-path frame (piggybacked cumulative ACK);
 * a standalone ACK frame is sent only when nothing else carries it. {@code status} is the
 * {@code ibv_wc_status} for NAK and the IB CM reject reason for REJ. {@code flags} bit 0 is SOLICITED.
 *
 * <p>Connection management frames (REQ, REP, REJ, RTU, DREQ, DREP) travel on the same connection; a
 * connection must start with a REQ whose body begins with {@link #MAGIC} and {@link #VERSION}.
 * REQ and REP bodies:
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                    magic 0x52544350 "RTCP"                    |  0
 *  +---------------+---------------+-------------------------------+
 *  |    version    | flags (b0 FC) |     port space (rdma_cm)      |  4
 *  +---------------+---------------+-------------------------------+
 *  |                    queue pair number (u32)                    |  8
 *  +---------------+---------------+---------------+---------------+
 *  |  resp. res.   |  init. depth  |  retry count  |   rnr retry   | 12
 *  +---------------+---------------+---------------+---------------+
 *  |                 private data (0..56 or 0..196)               ... 16
 * </pre>
 * A REJ body is the reject's private data (0..148 bytes); RTU, DREQ and DREP have none.
 */
public final class TcpFrameDescriptor
{
    /** Bytes of the fixed header. */
    public static final int HEADER_LENGTH = 32;
    /** Offset of the frame type. */
    public static final int TYPE_OFFSET = 0;
    /** Offset of the flags. */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of the status (NAK: wc status; REJ: reject reason). */
    public static final int STATUS_OFFSET = 2;
    /** Offset of the body length (READ_REQ: bytes to read). */
    public static final int LENGTH_OFFSET = 4;
    /** Offset of the request sequence number. */
    public static final int PSN_OFFSET = 8;
    /** Offset of the cumulative ack sequence number. */
    public static final int ACK_PSN_OFFSET = 12;
    /** Offset of the immediate. */
    public static final int IMM_OFFSET = 16;
    /** Offset of the rkey. */
    public static final int RKEY_OFFSET = 20;
    /** Offset of the remote virtual address. */
    public static final int REMOTE_ADDRESS_OFFSET = 24;

    /** Connect request (active to passive), the first frame of every connection. */
    public static final int TYPE_REQ = 1;
    /** Connect reply (accept). */
    public static final int TYPE_REP = 2;
    /** Connect reject. */
    public static final int TYPE_REJ = 3;
    /** Ready to use: the active side's confirmation of a REP. */
    public static final int TYPE_RTU = 4;
    /** Disconnect request. */
    public static final int TYPE_DREQ = 5;
    /** Disconnect reply. */
    public static final int TYPE_DREP = 6;
    /** SEND; body is the payload. */
    public static final int TYPE_SEND = 16;
    /** SEND_WITH_IMM. */
    public static final int TYPE_SEND_IMM = 17;
    /** RDMA_WRITE; body lands at remote address. */
    public static final int TYPE_WRITE = 18;
    /** RDMA_WRITE_WITH_IMM. */
    public static final int TYPE_WRITE_IMM = 19;
    /** RDMA_READ request; no body. */
    public static final int TYPE_READ_REQ = 20;
    /** RDMA_READ response; psn is the request's, body the data. */
    public static final int TYPE_READ_RESP = 21;
    /** Standalone cumulative acknowledgement. */
    public static final int TYPE_ACK = 22;
    /** Negative acknowledgement of request psn with a wc status; earlier requests executed. */
    public static final int TYPE_NAK = 23;

    /** Header flag: the receive completion is solicited. */
    public static final int FLAG_SOLICITED = 1;

    /** First four body bytes of REQ and REP. */
    public static final int MAGIC = 0x52544350;
    /** Protocol version. */
    public static final int VERSION = 1;
    /** Offset of the magic in a REQ/REP body. */
    public static final int CM_MAGIC_OFFSET = 0;
    /** Offset of the version. */
    public static final int CM_VERSION_OFFSET = 4;
    /** Offset of the CM flags. */
    public static final int CM_FLAGS_OFFSET = 5;
    /** Offset of the port space. */
    public static final int CM_PORT_SPACE_OFFSET = 6;
    /** Offset of the sender's queue pair number. */
    public static final int CM_QPN_OFFSET = 8;
    /** Offset of responder resources. */
    public static final int CM_RESPONDER_RESOURCES_OFFSET = 12;
    /** Offset of initiator depth. */
    public static final int CM_INITIATOR_DEPTH_OFFSET = 13;
    /** Offset of retry count. */
    public static final int CM_RETRY_COUNT_OFFSET = 14;
    /** Offset of RNR retry count. */
    public static final int CM_RNR_RETRY_COUNT_OFFSET = 15;
    /** Bytes of a REQ/REP body before the private data. */
    public static final int CM_BODY_LENGTH = 16;
    /** CM flag: end-to-end flow control. */
    public static final int CM_FLAG_FLOW_CONTROL = 1;
    /** Largest body a CM frame may have (a REP with 196 bytes of private data). */
    public static final int MAX_CM_BODY_LENGTH = CM_BODY_LENGTH + 196;
    /** Largest length field of a data frame: SGL lengths are u32 but totals are capped at 2^31-1. */
    public static final long MAX_DATA_LENGTH = Integer.MAX_VALUE;

    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private TcpFrameDescriptor()
    {
    }

    /**
     * Writes a header.
     *
     * @param segment   where.
     * @param offset    offset of the header.
     * @param type      frame type.
     * @param flags     flags.
     * @param status    status or reject reason.
     * @param length    body length (READ_REQ: read length).
     * @param psn       request sequence number.
     * @param ackPsn    cumulative acknowledgement.
     * @param immediate the immediate's logical value.
     * @param rkey      remote key.
     * @param address   remote address.
     */
    public static void putHeader(
        final MemorySegment segment,
        final long offset,
        final int type,
        final int flags,
        final int status,
        final int length,
        final int psn,
        final int ackPsn,
        final int immediate,
        final int rkey,
        final long address)
    {
        segment.set(BYTE, offset + TYPE_OFFSET, (byte)type);
        segment.set(BYTE, offset + FLAGS_OFFSET, (byte)flags);
        segment.set(SHORT, offset + STATUS_OFFSET, (short)status);
        segment.set(INT, offset + LENGTH_OFFSET, length);
        segment.set(INT, offset + PSN_OFFSET, psn);
        segment.set(INT, offset + ACK_PSN_OFFSET, ackPsn);
        segment.set(INT, offset + IMM_OFFSET, immediate);
        segment.set(INT, offset + RKEY_OFFSET, rkey);
        segment.set(LONG, offset + REMOTE_ADDRESS_OFFSET, address);
    }

    /** @param s segment. @param o header offset. @return the type. */
    public static int type(final MemorySegment s, final long o)
    {
        return s.get(BYTE, o + TYPE_OFFSET) & 0xFF;
    }

    /** @param s segment. @param o header offset. @return the flags. */
    public static int flags(final MemorySegment s, final long o)
    {
        return s.get(BYTE, o + FLAGS_OFFSET) & 0xFF;
    }

    /** @param s segment. @param o header offset. @return the status. */
    public static int status(final MemorySegment s, final long o)
    {
        return s.get(SHORT, o + STATUS_OFFSET) & 0xFFFF;
    }

    /** @param s segment. @param o header offset. @return the length as an unsigned value. */
    public static long length(final MemorySegment s, final long o)
    {
        return s.get(INT, o + LENGTH_OFFSET) & 0xFFFF_FFFFL;
    }

    /** @param s segment. @param o header offset. @return the psn. */
    public static int psn(final MemorySegment s, final long o)
    {
        return s.get(INT, o + PSN_OFFSET);
    }

    /** @param s segment. @param o header offset. @return the ack psn. */
    public static int ackPsn(final MemorySegment s, final long o)
    {
        return s.get(INT, o + ACK_PSN_OFFSET);
    }

    /** @param s segment. @param o header offset. @return the immediate's logical value. */
    public static int immediate(final MemorySegment s, final long o)
    {
        return s.get(INT, o + IMM_OFFSET);
    }

    /** @param s segment. @param o header offset. @return the rkey. */
    public static int rkey(final MemorySegment s, final long o)
    {
        return s.get(INT, o + RKEY_OFFSET);
    }

    /** @param s segment. @param o header offset. @return the remote address. */
    public static long remoteAddress(final MemorySegment s, final long o)
    {
        return s.get(LONG, o + REMOTE_ADDRESS_OFFSET);
    }

    /** @param type a frame type. @return true for REQ..DREP. */
    public static boolean isCm(final int type)
    {
        return type >= TYPE_REQ && type <= TYPE_DREP;
    }

    /** @param type a frame type. @return true for a type this version knows. */
    public static boolean isKnown(final int type)
    {
        return isCm(type) || (type >= TYPE_SEND && type <= TYPE_NAK);
    }

    /**
     * @param type   a frame type.
     * @param length its length field.
     * @return how many body bytes follow the header.
     */
    public static long bodyLength(final int type, final long length)
    {
        return TYPE_READ_REQ == type || TYPE_ACK == type || TYPE_NAK == type ? 0 : length;
    }

    /**
     * @param type   a frame type.
     * @param length its length field.
     * @return true when the length is possible for the type (lengths are capped so no buffer can be
     *         asked to grow without bound).
     */
    public static boolean isValidLength(final int type, final long length)
    {
        return switch (type)
        {
            case TYPE_REQ, TYPE_REP -> length >= CM_BODY_LENGTH && length <= MAX_CM_BODY_LENGTH;
            case TYPE_REJ -> length <= 148;
            case TYPE_RTU, TYPE_DREQ, TYPE_DREP, TYPE_ACK, TYPE_NAK -> 0 == length;
            default -> length <= MAX_DATA_LENGTH;
        };
    }

    /** @param s segment. @param o body offset. @return the magic. */
    public static int cmMagic(final MemorySegment s, final long o)
    {
        return s.get(INT, o + CM_MAGIC_OFFSET);
    }

    /** @param s segment. @param o body offset. @return the version. */
    public static int cmVersion(final MemorySegment s, final long o)
    {
        return s.get(BYTE, o + CM_VERSION_OFFSET) & 0xFF;
    }

    /** @param s segment. @param o body offset. @return the CM flags. */
    public static int cmFlags(final MemorySegment s, final long o)
    {
        return s.get(BYTE, o + CM_FLAGS_OFFSET) & 0xFF;
    }

    /** @param s segment. @param o body offset. @return the port space code. */
    public static int cmPortSpace(final MemorySegment s, final long o)
    {
        return s.get(SHORT, o + CM_PORT_SPACE_OFFSET) & 0xFFFF;
    }

    /** @param s segment. @param o body offset. @return the queue pair number. */
    public static int cmQpn(final MemorySegment s, final long o)
    {
        return s.get(INT, o + CM_QPN_OFFSET);
    }

    /** @param s segment. @param o body offset. @param field a CM_*_OFFSET of a byte field. @return it. */
    public static int cmByte(final MemorySegment s, final long o, final int field)
    {
        return s.get(BYTE, o + field) & 0xFF;
    }

    /**
     * Writes a REQ/REP body without the private data.
     *
     * @param s         segment.
     * @param o         body offset.
     * @param flags     CM flags.
     * @param portSpace port space code.
     * @param qpn       sender's queue pair number.
     * @param responderResources responder resources.
     * @param initiatorDepth     initiator depth.
     * @param retryCount         retry count.
     * @param rnrRetryCount      RNR retry count.
     */
    public static void putCmBody(
        final MemorySegment s,
        final long o,
        final int flags,
        final int portSpace,
        final int qpn,
        final int responderResources,
        final int initiatorDepth,
        final int retryCount,
        final int rnrRetryCount)
    {
        s.set(INT, o + CM_MAGIC_OFFSET, MAGIC);
        s.set(BYTE, o + CM_VERSION_OFFSET, (byte)VERSION);
        s.set(BYTE, o + CM_FLAGS_OFFSET, (byte)flags);
        s.set(SHORT, o + CM_PORT_SPACE_OFFSET, (short)portSpace);
        s.set(INT, o + CM_QPN_OFFSET, qpn);
        s.set(BYTE, o + CM_RESPONDER_RESOURCES_OFFSET, (byte)responderResources);
        s.set(BYTE, o + CM_INITIATOR_DEPTH_OFFSET, (byte)initiatorDepth);
        s.set(BYTE, o + CM_RETRY_COUNT_OFFSET, (byte)retryCount);
        s.set(BYTE, o + CM_RNR_RETRY_COUNT_OFFSET, (byte)rnrRetryCount);
    }
}
