package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.cm.ConnectionParameters;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;

/** Encodes and decodes the connection-management frames of {@link TcpFrameDescriptor} (control path). */
final class CmFrames
{
    /** IB CM reject reason IB_CM_REJ_NO_RESOURCES, used when a listener's backlog is full. */
    static final int REJECT_NO_RESOURCES = 3;

    private CmFrames()
    {
    }

    /**
     * @param type      REQ or REP.
     * @param portSpace port space code.
     * @param qpn       sender's queue pair number.
     * @param p         the parameters and private data.
     * @return the encoded frame.
     */
    static byte[] connect(final int type, final int portSpace, final int qpn, final ConnectionParameters p)
    {
        final byte[] data = p.privateData();
        final byte[] frame = new byte[HEADER_LENGTH + CM_BODY_LENGTH + data.length];
        final MemorySegment s = MemorySegment.ofArray(frame);
        putHeader(s, 0, type, 0, 0, CM_BODY_LENGTH + data.length, 0, 0, 0, 0, 0);
        putCmBody(s, HEADER_LENGTH, p.flowControl() ? CM_FLAG_FLOW_CONTROL : 0, portSpace, qpn,
            p.responderResources(), p.initiatorDepth(), p.retryCount(), p.rnrRetryCount());
        System.arraycopy(data, 0, frame, HEADER_LENGTH + CM_BODY_LENGTH, data.length);
        return frame;
    }

    /**
     * @param reason      IB CM reject reason.
     * @param privateData reject private data, may be null.
     * @return the encoded REJ frame.
     */
    static byte[] reject(final int reason, final byte[] privateData)
    {
        final int n = null == privateData ? 0 : privateData.length;
        final byte[] frame = new byte[HEADER_LENGTH + n];
        putHeader(MemorySegment.ofArray(frame), 0, TYPE_REJ, 0, reason, n, 0, 0, 0, 0, 0);
        if (n > 0)
        {
            System.arraycopy(privateData, 0, frame, HEADER_LENGTH, n);
        }
        return frame;
    }

    /** @param type RTU, DREQ or DREP. @return the encoded frame. */
    static byte[] bare(final int type)
    {
        final byte[] frame = new byte[HEADER_LENGTH];
        putHeader(MemorySegment.ofArray(frame), 0, type, 0, 0, 0, 0, 0, 0, 0, 0);
        return frame;
    }

    /** @return true when a REQ/REP body carries our magic and version. */
    static boolean isCompatible(final MemorySegment s, final long body, final int length)
    {
        return length >= CM_BODY_LENGTH && MAGIC == cmMagic(s, body) && VERSION == cmVersion(s, body);
    }

    /**
     * Decodes REQ/REP parameters; private data zero-padded to {@code paddedLength}, as over IB.
     *
     * @param s            segment.
     * @param body         body offset.
     * @param length       body length.
     * @param paddedLength 56 for REQ, 196 for REP.
     * @return the parameters.
     */
    static ConnectionParameters parameters(final MemorySegment s, final long body, final int length, final int paddedLength)
    {
        final int n = Math.min(length - CM_BODY_LENGTH, paddedLength);
        final byte[] data = new byte[paddedLength];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, body + CM_BODY_LENGTH, data, 0, n);
        return new ConnectionParameters(data,
            cmByte(s, body, CM_RESPONDER_RESOURCES_OFFSET),
            cmByte(s, body, CM_INITIATOR_DEPTH_OFFSET),
            0 != (cmFlags(s, body) & CM_FLAG_FLOW_CONTROL),
            cmByte(s, body, CM_RETRY_COUNT_OFFSET) & 7,
            cmByte(s, body, CM_RNR_RETRY_COUNT_OFFSET) & 7);
    }

    /**
     * @param s      segment.
     * @param body   REJ body offset.
     * @param length body length.
     * @return reject private data padded to 148 bytes.
     */
    static ConnectionParameters rejectParameters(final MemorySegment s, final long body, final int length)
    {
        final byte[] data = new byte[ConnectionParameters.MAX_REJECT_PRIVATE_DATA];
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, body, data, 0,
            Math.min(length, ConnectionParameters.MAX_REJECT_PRIVATE_DATA));
        return new ConnectionParameters(data, 0, 0, false, 0, 0);
    }
}
