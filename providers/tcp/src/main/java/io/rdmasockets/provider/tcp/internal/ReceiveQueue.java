package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.ScatterGatherList;

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

    /**
     * Copies a receive into its slot, resolving its scatter list; entries that fail the local checks
     * (lkey of the domain, range, LOCAL_WRITE) mark the slot, which then fails with LOC_PROT_ERR when a
     * message consumes it.
     *
     * @param slot  the slot.
     * @param wr    the request.
     * @param pd    the queue pair's domain.
     * @param lkeys the lkey table.
     */
    void store(final int slot, final ReceiveWorkRequest wr, final TcpProtectionDomain pd, final KeyTable lkeys)
    {
        final ScatterGatherList sgl = wr.sgl();
        final int base = slot * maxSge;
        boolean bad = false;
        long total = 0;
        int n = 0;
        for (int i = 0, count = sgl.count(); i < count; i++)
        {
            final int length = sgl.length(i);
            if (0 == length)
            {
                continue;
            }
            final TcpMemoryRegion region = lkeys.lookup(sgl.lkey(i));
            final long offset = null == region ? -1 : region.offsetOf(sgl.address(i), length & 0xFFFF_FFFFL);
            if (null == region || !region.permits(pd, Access.LOCAL_WRITE) || offset < 0)
            {
                bad = true;
                break;
            }
            sgeRegions[base + n] = region;
            sgeOffsets[base + n] = offset;
            sgeLengths[base + n] = length;
            total += length & 0xFFFF_FFFFL;
            n++;
        }
        wrIds[slot] = wr.wrId();
        sgeCounts[slot] = n;
        lengths[slot] = total;
        badEntries[slot] = bad;
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
