package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.ScatterGatherList;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The lkey table that decides whether an inline payload may be read by the CPU. */
class RegionTableTest
{
    private static NativeMemoryRegion region(final MemorySegment segment, final int lkey)
    {
        return new NativeMemoryRegion(null, MemorySegment.NULL, segment, Access.LOCAL_WRITE, lkey, ~lkey);
    }

    @Test
    void shouldFindEveryLiveRegionByLkeyAndForgetRemovedOnes()
    {
        try (Arena arena = Arena.ofShared())
        {
            final RegionTable table = new RegionTable();
            final List<NativeMemoryRegion> regions = new ArrayList<>();
            for (int i = 0; i < 300; i++)
            {
                // rxe-like keys: an index and a random low byte; collisions in the low bits on purpose.
                final NativeMemoryRegion r = region(arena.allocate(64), i << 8 | (i * 37 & 0xFF));
                regions.add(r);
                table.add(r);
            }
            for (final NativeMemoryRegion r : regions)
            {
                assertSame(r, table.find(r.lkey()));
            }
            assertNull(table.find(0x7fff_ff00));
            for (int i = 0; i < 300; i += 2)
            {
                table.remove(regions.get(i));
            }
            for (int i = 0; i < 300; i++)
            {
                assertEquals(0 == i % 2 ? null : regions.get(i), table.find(regions.get(i).lkey()), "region " + i);
            }
        }
    }

    @Test
    void shouldCoverOnlyRangesInsideLiveRegions()
    {
        final RegionTable table = new RegionTable();
        final Arena arena = Arena.ofShared();
        final MemorySegment memory = arena.allocate(4096);
        final NativeMemoryRegion r = region(memory, 0x1234);
        table.add(r);
        final long a = memory.address();
        assertTrue(table.covers(sgl().add(a, 4096, 0x1234)), "the whole region");
        assertTrue(table.covers(sgl().add(a + 4095, 1, 0x1234).add(a, 0, 0x1234)), "last byte, empty entry");
        assertTrue(table.covers(sgl()), "no entries");
        assertFalse(table.covers(sgl().add(a + 4095, 2, 0x1234)), "one byte beyond the end");
        assertFalse(table.covers(sgl().add(a - 1, 2, 0x1234)), "one byte before the start");
        assertFalse(table.covers(sgl().add(a, 16, 0x1235)), "another lkey");
        assertFalse(table.covers(sgl().add(a, -1, 0x1234)), "a length of 4 GiB - 1");
        arena.close();
        assertFalse(table.covers(sgl().add(a, 16, 0x1234)), "the arena was closed: the memory is gone");
    }

    private static ScatterGatherList sgl()
    {
        return new ScatterGatherList(4);
    }
}
