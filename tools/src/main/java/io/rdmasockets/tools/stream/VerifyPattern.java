package io.rdmasockets.tools.stream;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * rstream's {@code -T v} data (C's {@code format_buf}/{@code verify_buf}): the sender fills every transfer
 * from a running {@code uint8_t} counter that continues across transfers, tests and connections; the
 * receiver checks the same sequence. One instance per side, so that a Java and a C peer agree byte for byte.
 */
final class VerifyPattern
{
    private byte nextSent;
    private byte nextReceived;
    private long bytesChecked;

    /**
     * @param buffer the transfer buffer.
     * @param size   bytes to fill from offset 0.
     */
    void fill(final MemorySegment buffer, final int size)
    {
        for (int i = 0; i < size; i++)
        {
            buffer.set(ValueLayout.JAVA_BYTE, i, nextSent++);
        }
    }

    /**
     * @param buffer the received bytes.
     * @param size   bytes to check from offset 0.
     * @return -1 when they are the expected ones, else the index of the first wrong byte counted over
     *         everything this side has received (what C prints).
     */
    long check(final MemorySegment buffer, final int size)
    {
        for (int i = 0; i < size; i++, bytesChecked++)
        {
            if (buffer.get(ValueLayout.JAVA_BYTE, i) != nextReceived++)
            {
                return bytesChecked;
            }
        }
        return -1;
    }
}
