package io.rdmasockets.provider.tcp.internal;

import java.util.Arrays;

/**
 * RDMA read responses a responder owes, oldest first: where the data is and which read it answers. A
 * ring of parallel arrays that doubles when full (the reads a requester may have in flight are not
 * bounded here), so queueing allocates nothing in steady state.
 *
 * <p><b>Note:</b> not thread safe; guarded by the {@link FrameWriter}'s monitor.
 */
final class ReadResponses
{
    private static final int INITIAL_CAPACITY = 16;

    private TcpMemoryRegion[] regions = new TcpMemoryRegion[INITIAL_CAPACITY];
    private long[] offsets = new long[INITIAL_CAPACITY];
    private int[] lengths = new int[INITIAL_CAPACITY];
    private int[] psns = new int[INITIAL_CAPACITY];
    private int head;
    private int tail;

    boolean isEmpty()
    {
        return head == tail;
    }

    /**
     * @param region source region (null for a zero-length read).
     * @param offset offset inside it.
     * @param length bytes.
     * @param psn    the read's psn.
     */
    void add(final TcpMemoryRegion region, final long offset, final int length, final int psn)
    {
        if (tail - head == regions.length)
        {
            grow();
        }
        final int i = tail & (regions.length - 1);
        regions[i] = region;
        offsets[i] = offset;
        lengths[i] = length;
        psns[i] = psn;
        tail++;
    }

    /** @return the oldest response's region. */
    TcpMemoryRegion region()
    {
        return regions[head & (regions.length - 1)];
    }

    /** @return the oldest response's offset in its region. */
    long offset()
    {
        return offsets[head & (regions.length - 1)];
    }

    /** @return the oldest response's length. */
    int length()
    {
        return lengths[head & (regions.length - 1)];
    }

    /** @return the psn of the read the oldest response answers. */
    int psn()
    {
        return psns[head & (regions.length - 1)];
    }

    /** Drops the oldest response (sent). */
    void removeFirst()
    {
        regions[head & (regions.length - 1)] = null;
        head++;
    }

    /** Drops every response (the connection failed). */
    void clear()
    {
        Arrays.fill(regions, null);
        head = tail;
    }

    private void grow()
    {
        final int n = regions.length;
        final TcpMemoryRegion[] r = new TcpMemoryRegion[n * 2];
        final long[] o = new long[n * 2];
        final int[] l = new int[n * 2];
        final int[] p = new int[n * 2];
        for (int k = 0; k < n; k++)
        {
            final int from = (head + k) & (n - 1);
            r[k] = regions[from];
            o[k] = offsets[from];
            l[k] = lengths[from];
            p[k] = psns[from];
        }
        regions = r;
        offsets = o;
        lengths = l;
        psns = p;
        tail = n;
        head = 0;
    }
}
