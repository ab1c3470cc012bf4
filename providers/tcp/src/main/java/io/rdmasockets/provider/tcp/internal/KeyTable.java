package io.rdmasockets.provider.tcp.internal;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Random 32-bit memory keys to regions. Lookups (on every work request and every remote access) read a
 * copy-on-write snapshot with a binary search and allocate nothing; registration copies the arrays.
 *
 * <p><b>Note:</b> thread safe. A key is unique while its region is registered and is never 0.
 */
final class KeyTable
{
    private static final class Snapshot
    {
        final int[] keys;
        final TcpMemoryRegion[] regions;

        Snapshot(final int[] keys, final TcpMemoryRegion[] regions)
        {
            this.keys = keys;
            this.regions = regions;
        }
    }

    private final SecureRandom random;
    private volatile Snapshot snapshot = new Snapshot(new int[0], new TcpMemoryRegion[0]);

    KeyTable(final SecureRandom random)
    {
        this.random = random;
    }

    /**
     * @param key a key from a work request or the wire.
     * @return its region, or {@code null}.
     */
    TcpMemoryRegion lookup(final int key)
    {
        final Snapshot s = snapshot;
        final int i = Arrays.binarySearch(s.keys, key);
        return i >= 0 ? s.regions[i] : null;
    }

    /**
     * @param region the region to name.
     * @return a fresh key, unused by every registered region.
     */
    synchronized int add(final TcpMemoryRegion region)
    {
        final Snapshot s = snapshot;
        int key;
        int at;
        do
        {
            key = random.nextInt();
            at = Arrays.binarySearch(s.keys, key);
        }
        while (0 == key || at >= 0);
        final int insert = -at - 1;
        final int n = s.keys.length;
        final int[] keys = new int[n + 1];
        final TcpMemoryRegion[] regions = new TcpMemoryRegion[n + 1];
        System.arraycopy(s.keys, 0, keys, 0, insert);
        System.arraycopy(s.regions, 0, regions, 0, insert);
        keys[insert] = key;
        regions[insert] = region;
        System.arraycopy(s.keys, insert, keys, insert + 1, n - insert);
        System.arraycopy(s.regions, insert, regions, insert + 1, n - insert);
        snapshot = new Snapshot(keys, regions);
        return key;
    }

    /** @param key a key returned by {@link #add}; removing an absent key does nothing. */
    synchronized void remove(final int key)
    {
        final Snapshot s = snapshot;
        final int at = Arrays.binarySearch(s.keys, key);
        if (at < 0)
        {
            return;
        }
        final int n = s.keys.length;
        final int[] keys = new int[n - 1];
        final TcpMemoryRegion[] regions = new TcpMemoryRegion[n - 1];
        System.arraycopy(s.keys, 0, keys, 0, at);
        System.arraycopy(s.regions, 0, regions, 0, at);
        System.arraycopy(s.keys, at + 1, keys, at, n - at - 1);
        System.arraycopy(s.regions, at + 1, regions, at, n - at - 1);
        snapshot = new Snapshot(keys, regions);
    }

    /** @param key a key. @return true while it is registered, for tests. */
    boolean contains(final int key)
    {
        return Arrays.binarySearch(snapshot.keys, key) >= 0;
    }

    /** @return the number of keys, for tests. */
    int size()
    {
        return snapshot.keys.length;
    }
}
