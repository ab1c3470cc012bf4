package io.rdmasockets.verbs;

/**
 * A reusable list of scatter/gather entries, as {@code struct ibv_sge[]}: each entry is a virtual
 * address inside a registered region, a length and the region's lkey. Up to a fixed capacity; nothing
 * allocates after construction.
 *
 * <p><b>Note:</b> not thread safe; a work request is owned by the posting thread.
 */
public final class ScatterGatherList
{
    private final long[] addresses;
    private final int[] lengths;
    private final int[] lkeys;
    private int count;

    /** @param capacity the most entries the list holds. */
    public ScatterGatherList(final int capacity)
    {
        if (capacity < 0)
        {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        addresses = new long[capacity];
        lengths = new int[capacity];
        lkeys = new int[capacity];
    }

    /** @return the most entries the list holds. */
    public int capacity()
    {
        return addresses.length;
    }

    /** @return the number of entries in use. */
    public int count()
    {
        return count;
    }

    /** Removes every entry. @return this. */
    public ScatterGatherList clear()
    {
        count = 0;
        return this;
    }

    /**
     * Appends an entry.
     *
     * @param address a virtual address inside a registered region.
     * @param length  bytes.
     * @param lkey    the region's local key.
     * @return this.
     * @throws IndexOutOfBoundsException when the list is full.
     */
    public ScatterGatherList add(final long address, final int length, final int lkey)
    {
        final int i = count;
        if (i == addresses.length)
        {
            throw new IndexOutOfBoundsException("scatter/gather list is full: " + i);
        }
        addresses[i] = address;
        lengths[i] = length;
        lkeys[i] = lkey;
        count = i + 1;
        return this;
    }

    /**
     * Appends an entry covering part of a region.
     *
     * @param region the registered region.
     * @param offset byte offset inside the region.
     * @param length bytes.
     * @return this.
     */
    public ScatterGatherList add(final MemoryRegion region, final long offset, final int length)
    {
        return add(region.address() + offset, length, region.lkey());
    }

    /** @param i entry index. @return the entry's virtual address. */
    public long address(final int i)
    {
        check(i);
        return addresses[i];
    }

    /** @param i entry index. @return the entry's length in bytes. */
    public int length(final int i)
    {
        check(i);
        return lengths[i];
    }

    /** @param i entry index. @return the entry's lkey. */
    public int lkey(final int i)
    {
        check(i);
        return lkeys[i];
    }

    /** @return the sum of the entries' lengths. */
    public long totalLength()
    {
        long total = 0;
        for (int i = 0; i < count; i++)
        {
            total += lengths[i] & 0xFFFF_FFFFL;
        }
        return total;
    }

    private void check(final int i)
    {
        if (i < 0 || i >= count)
        {
            throw new IndexOutOfBoundsException("entry " + i + " of " + count);
        }
    }
}
