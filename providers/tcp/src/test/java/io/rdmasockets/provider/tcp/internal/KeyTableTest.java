package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.VerbsContext;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Keys are random, unique while registered, never 0, and gone after deregistration. */
class KeyTableTest
{
    @Test
    void shouldHandOutUniqueNonZeroKeysAndForgetClosedRegions() throws Exception
    {
        final KeyTable rkeys = TcpRuntime.instance().rkeys();
        final KeyTable lkeys = TcpRuntime.instance().lkeys();
        try (Arena arena = Arena.ofShared();
            VerbsContext context = new TcpVerbsProvider().devices().getFirst().open())
        {
            final ProtectionDomain pd = context.allocateProtectionDomain();
            final List<MemoryRegion> regions = new ArrayList<>();
            final Set<Integer> keys = new HashSet<>();
            for (int i = 0; i < 500; i++)
            {
                final MemoryRegion mr = pd.registerMemory(arena.allocate(64), Access.LOCAL_WRITE | Access.REMOTE_READ);
                regions.add(mr);
                assertNotEquals(0, mr.rkey());
                assertNotEquals(0, mr.lkey());
                assertTrue(keys.add(mr.rkey()), "rkey reused");
                assertSame(mr, rkeys.lookup(mr.rkey()));
                assertSame(mr, lkeys.lookup(mr.lkey()));
            }
            for (final MemoryRegion mr : regions)
            {
                mr.close();
                assertNull(rkeys.lookup(mr.rkey()), "a closed region's rkey must not resolve");
                assertNull(lkeys.lookup(mr.lkey()));
            }
            pd.close();
        }
    }

    @Test
    void shouldKeepKeysSortedForBinarySearch()
    {
        final KeyTable table = new KeyTable(new java.security.SecureRandom());
        final List<Integer> added = new ArrayList<>();
        for (int i = 0; i < 1000; i++)
        {
            added.add(table.add(null));
        }
        assertEquals(1000, table.size());
        for (int i = 0; i < 1000; i += 2)
        {
            table.remove(added.get(i));
        }
        assertEquals(500, table.size());
        for (int i = 0; i < 1000; i++)
        {
            assertEquals(0 != i % 2, table.contains(added.get(i)), "key " + i);
        }
    }
}
