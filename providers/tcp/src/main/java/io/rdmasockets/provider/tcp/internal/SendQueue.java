package io.rdmasockets.provider.tcp.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The send queue's slots as parallel arrays, preallocated at queue pair creation. A slot's index is its
 * request's psn masked: psn {@code p} lives in slot {@code p & mask}. Inline payloads are copied into
 * per-slot native storage at post time.
 *
 * <p><b>Note:</b> {@link #head} and the slots are guarded by the queue pair's lock; {@link #tail} is
 * volatile so the connection's writer reads published slots without that lock (a slot is never
 * rewritten before it completes, and never after ERR).
 */
final class SendQueue
{
    final int limit;
    final int mask;
    final int maxSge;
    final int maxInline;
    final long[] wrIds;
    final int[] opcodes;
    final int[] flags;
    final int[] immediates;
    final int[] rkeys;
    final int[] lengths;
    final long[] remoteAddresses;
    final boolean[] inline;
    final boolean[] readDone;
    final int[] sgeCounts;
    final TcpMemoryRegion[] sgeRegions;
    final long[] sgeOffsets;
    final int[] sgeLengths;
    final MemorySegment inlineData;
    /** Oldest uncompleted psn. */
    int head;
    /** Highest psn the peer has acknowledged. */
    int ackedPsn = -1;
    /** Next psn to post. */
    volatile int tail;

    SendQueue(final int limit, final int maxSge, final int maxInline)
    {
        this.limit = limit;
        final int capacity = Integer.highestOneBit(Math.max(1, limit - 1)) << 1;
        this.mask = capacity - 1;
        this.maxSge = Math.max(1, maxSge);
        this.maxInline = maxInline;
        wrIds = new long[capacity];
        opcodes = new int[capacity];
        flags = new int[capacity];
        immediates = new int[capacity];
        rkeys = new int[capacity];
        lengths = new int[capacity];
        remoteAddresses = new long[capacity];
        inline = new boolean[capacity];
        readDone = new boolean[capacity];
        sgeCounts = new int[capacity];
        sgeRegions = new TcpMemoryRegion[capacity * this.maxSge];
        sgeOffsets = new long[capacity * this.maxSge];
        sgeLengths = new int[capacity * this.maxSge];
        inlineData = 0 == maxInline ? MemorySegment.NULL :
            MemorySegment.ofBuffer(ByteBuffer.allocateDirect(capacity * maxInline));
    }

    boolean isFull()
    {
        return tail - head >= limit;
    }

    boolean isEmpty()
    {
        return tail == head;
    }
}
