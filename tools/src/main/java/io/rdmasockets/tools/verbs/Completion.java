package io.rdmasockets.tools.verbs;

import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;

/**
 * A copy of one work completion, for code off the hot path (the demo) that wants to keep and print it.
 *
 * @param wrId       the work request id.
 * @param status     the status.
 * @param opcode     the opcode (undefined for errors, as in verbs).
 * @param byteLength bytes transferred.
 * @param immData    the immediate, when {@code hasImm}.
 * @param hasImm     whether an immediate arrived.
 */
public record Completion(long wrId, WcStatus status, WcOpcode opcode, int byteLength, int immData, boolean hasImm)
{
    /**
     * @param wcs a polled array.
     * @param i   the entry.
     * @return a copy of entry {@code i}.
     */
    public static Completion of(final WorkCompletions wcs, final int i)
    {
        return new Completion(wcs.wrId(i), wcs.status(i), wcs.opcode(i), wcs.byteLength(i), wcs.immData(i),
            wcs.hasImmediate(i));
    }

    @Override
    public String toString()
    {
        return status == WcStatus.SUCCESS ?
            String.format("%s %s byte_len=%d%s wr_id=%d", opcode, status, byteLength,
                hasImm ? String.format(" imm=0x%08x", immData) : "", wrId) :
            String.format("%s wr_id=%d", status, wrId);
    }
}
