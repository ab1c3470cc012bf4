package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.verbs.ScatterGatherList;

import java.util.ArrayList;
import java.util.List;

/**
 * The live regions of a protection domain by lkey, read without locks or allocation on the data path
 * (copy on write: registration is the control path). It lets an {@code INLINE} send, whose payload the
 * library copies with the CPU, be checked first: Java must never make libibverbs read an address that is
 * not registered memory the application still owns.
 *
 * <p><b>Note:</b> thread safe.
 */
final class RegionTable
{
    private record Table(int[] keys, NativeMemoryRegion[] regions, int mask)
    {
    }

    private final List<NativeMemoryRegion> live = new ArrayList<>();
    private volatile Table table = build(List.of());

    synchronized void add(final NativeMemoryRegion region)
    {
        live.add(region);
        table = build(live);
    }

    synchronized void remove(final NativeMemoryRegion region)
    {
        live.remove(region);
        table = build(live);
    }

    /** @return the live region with this lkey, or {@code null}. */
    NativeMemoryRegion find(final int lkey)
    {
        final Table t = table;
        for (int i = mix(lkey) & t.mask; ; i = (i + 1) & t.mask)
        {
            final NativeMemoryRegion r = t.regions[i];
            if (null == r || t.keys[i] == lkey)
            {
                return r;
            }
        }
    }

    /**
     * @param sgl entries of a work request.
     * @return true when every entry lies in a live region of this domain named by its lkey.
     */
    boolean covers(final ScatterGatherList sgl)
    {
        for (int i = 0, n = sgl.count(); i < n; i++)
        {
            final NativeMemoryRegion r = find(sgl.lkey(i));
            if (null == r || !r.covers(sgl.address(i), sgl.length(i) & 0xFFFF_FFFFL))
            {
                return false;
            }
        }
        return true;
    }

    private static Table build(final List<NativeMemoryRegion> regions)
    {
        final int size = Integer.highestOneBit(Math.max(16, regions.size() * 2) - 1) << 1;
        final int[] keys = new int[size];
        final NativeMemoryRegion[] slots = new NativeMemoryRegion[size];
        final int mask = size - 1;
        for (final NativeMemoryRegion r : regions)
        {
            int i = mix(r.lkey()) & mask;
            while (null != slots[i])
            {
                i = (i + 1) & mask;
            }
            slots[i] = r;
            keys[i] = r.lkey();
        }
        return new Table(keys, slots, mask);
    }

    private static int mix(final int key)
    {
        final int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
