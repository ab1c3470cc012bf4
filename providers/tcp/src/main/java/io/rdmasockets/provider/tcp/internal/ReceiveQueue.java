package io.rdmasockets.provider.tcp.internal;

/**
 * The receive queue's slots as parallel arrays, preallocated. The lkeys of each request are resolved at
 * post time; a request whose entries fail the local checks is marked and fails when consumed.
 *
 * <p><b>Note:</b> guarded by the queue pair's lock, except that the reactor reads the head slot it
 * reserved.
 */
final class ReceiveQueue
{
    final int limit;
    final int mask;
    final int maxSge;
    final long[] wrIds;
    final long[] lengths;
    final boolean[] badEntries;
    final int[] sgeCounts;
    final TcpMemoryRegion[] sgeRegions;
    final long[] sgeOffsets;
    final int[] sgeLengths;
    /** Oldest posted receive. */
    int head;
    /** Next slot to post. */
    int tail;

    ReceiveQueue(final int limit, final int maxSge)
    {
        this.limit = limit;
        final int capacity = Integer.highestOneBit(Math.max(1, limit - 1)) << 1;
        this.mask = capacity - 1;
        this.maxSge = Math.max(1, maxSge);
        wrIds = new long[capacity];
        lengths = new long[capacity];
        badEntries = new boolean[capacity];
        sgeCounts = new int[capacity];
        sgeRegions = new TcpMemoryRegion[capacity * this.maxSge];
        sgeOffsets = new long[capacity * this.maxSge];
        sgeLengths = new int[capacity * this.maxSge];
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
