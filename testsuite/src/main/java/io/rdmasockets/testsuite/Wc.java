package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;

/**
 * A copy of one work completion, so that tests can keep and compare them after the next poll.
 *
 * @param wrId         {@code wr_id}.
 * @param status       the status.
 * @param opcode       the opcode (undefined for errors, as in verbs).
 * @param byteLength   {@code byte_len}.
 * @param immData      the immediate's logical value.
 * @param hasImmediate whether {@code IBV_WC_WITH_IMM} is set.
 * @param qpNumber     {@code qp_num}.
 */
public record Wc(
    long wrId, WcStatus status, WcOpcode opcode, int byteLength, int immData, boolean hasImmediate, int qpNumber)
{
    /**
     * @param wc the polled array.
     * @param i  entry index.
     * @return a copy of entry {@code i}.
     */
    public static Wc of(final WorkCompletions wc, final int i)
    {
        return new Wc(wc.wrId(i), wc.status(i), wc.opcode(i), wc.byteLength(i), wc.immData(i), wc.hasImmediate(i),
            wc.qpNumber(i));
    }

    /** @return true for {@link WcStatus#SUCCESS}. */
    public boolean isSuccess()
    {
        return WcStatus.SUCCESS == status;
    }

    @Override
    public String toString()
    {
        return "Wc[wrId=" + wrId + ", " + status + ", " + opcode + ", len=" + byteLength +
            (hasImmediate ? ", imm=0x" + Integer.toHexString(immData) : "") + ", qp=" + qpNumber + "]";
    }
}
