package io.rdmasockets.tools.stream;

/**
 * rstream's {@code test_size} table and {@code size_to_count} (wire-protocol doc section 8.1): powers of
 * two from 64 B to 4 MiB, each but 64 B followed by one and a half times itself, 33 sizes; option 0
 * marks the four of the default run (64 B, 4 KiB, 64 KiB, 1 MiB), option 1 the rest ({@code -S all}).
 */
final class TestSizes
{
    /** The sizes, in rstream's order. */
    static final int[] SIZES = new int[33];
    /** Each size's option: 0 = default run, 1 = only with {@code -S all}. */
    static final int[] OPTIONS = new int[SIZES.length];
    /** The largest size: rstream's buffer for the default runs. */
    static final int MAX_SIZE = (1 << 22) + (1 << 21);

    static
    {
        SIZES[0] = 1 << 6;
        int i = 1;
        for (int shift = 7; shift <= 22; shift++)
        {
            SIZES[i] = 1 << shift;
            OPTIONS[i++] = 12 == shift || 16 == shift || 20 == shift ? 0 : 1;
            SIZES[i] = (1 << shift) + (1 << (shift - 1));
            OPTIONS[i++] = 1;
        }
    }

    private TestSizes()
    {
    }

    /**
     * @param size bytes per transfer.
     * @return rstream's {@code size_to_count}: iterations of a latency test, transfers of a bandwidth test.
     */
    static int sizeToCount(final int size)
    {
        if (size >= 1 << 20)
        {
            return 100;
        }
        if (size >= 1 << 16)
        {
            return 1000;
        }
        return size >= 1 << 10 ? 10_000 : 100_000;
    }
}
