package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The steady-state data path of the API allocates nothing for direct buffers, segments and reused arrays. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RdmaSocketAllocationConformance extends AbstractVerbsTest
{
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 20_000;
    /** Far below one object per operation (4 operations per round trip). */
    private static final long TOLERANCE_BYTES = 16 * 1024;

    @Test
    public void shouldNotAllocatePerReadOrWrite() throws Exception
    {
        try (Loopback loop = new Loopback(provider()).connect(); Arena arena = Arena.ofShared())
        {
            final ByteBuffer out = ByteBuffer.allocateDirect(64);
            final ByteBuffer in = ByteBuffer.allocateDirect(64);
            final MemorySegment segment = arena.allocate(64);
            final byte[] array = new byte[64];
            final InputStream serverIn = loop.server.getInputStream();
            final InputStream clientIn = loop.client.getInputStream();
            // Reflection: the test classes are compiled into the module, which does not read jdk.management.
            final Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
            final Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
            final long id = Thread.currentThread().threadId();

            roundTrips(loop, out, in, segment, array, serverIn, clientIn, WARMUP);
            final long before = (Long)allocatedBytes.invoke(threads, id);
            roundTrips(loop, out, in, segment, array, serverIn, clientIn, MEASURED);
            final long allocated = (Long)allocatedBytes.invoke(threads, id) - before;
            assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes over " + MEASURED + " round trips");
        }
    }

    /** One thread, never blocking: each side waits for the bytes with available() before reading. */
    private static void roundTrips(final Loopback loop, final ByteBuffer out, final ByteBuffer in,
        final MemorySegment segment, final byte[] array, final InputStream serverIn, final InputStream clientIn,
        final int count) throws Exception
    {
        for (int i = 0; i < count; i++)
        {
            out.clear().putInt(0, i);
            assertEquals(64, loop.client.write(out));
            awaitAvailable(serverIn, 64);
            in.clear();
            while (in.hasRemaining())
            {
                loop.server.read(in);
            }
            if (in.getInt(0) != i)
            {
                fail("round trip " + i + " read " + in.getInt(0));
            }
            loop.server.write(segment);
            awaitAvailable(clientIn, 64);
            int got = 0;
            while (got < 64)
            {
                got += clientIn.read(array, got, 64 - got);
            }
        }
    }

    private static void awaitAvailable(final InputStream in, final int bytes) throws Exception
    {
        while (in.available() < bytes)
        {
            Thread.onSpinWait();
        }
    }
}
