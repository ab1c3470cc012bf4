package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.posix.PollFd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/** The data path on descriptors allocates nothing in steady state: rsend, rrecv, rpoll, errno. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class AllocationConformance extends PosixFixture
{
    private static final int WARMUP = 20_000;
    private static final int MEASURED = 20_000;
    /** Far below one object per call (about ten calls per round trip). */
    private static final long TOLERANCE_BYTES = 16 * 1024;

    @Test
    public void shouldNotAllocatePerCall() throws Exception
    {
        final int[] p = pair(AF_INET);
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment out = arena.allocate(64);
            final MemorySegment in = arena.allocate(64);
            final byte[] array = new byte[64];
            final ByteBuffer direct = ByteBuffer.allocateDirect(64);
            final PollFd[] fds = {new PollFd(p[1], POLLIN), new PollFd(p[0], POLLIN)};
            // Reflection: the test classes are compiled into the module, which does not read jdk.management.
            final Object threads = Class.forName("java.lang.management.ManagementFactory")
                .getMethod("getThreadMXBean").invoke(null);
            final Method allocatedBytes = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getThreadAllocatedBytes", long.class);
            final long id = Thread.currentThread().threadId();

            roundTrips(p, out, in, array, direct, fds, WARMUP);
            final long before = (Long)allocatedBytes.invoke(threads, id);
            roundTrips(p, out, in, array, direct, fds, MEASURED);
            final long allocated = (Long)allocatedBytes.invoke(threads, id) - before;
            assertTrue(allocated < TOLERANCE_BYTES, allocated + " bytes over " + MEASURED + " round trips");
        }
    }

    /** One thread: each side waits in rpoll, then takes the bytes; an empty MSG_DONTWAIT receive sets errno. */
    private static void roundTrips(final int[] p, final MemorySegment out, final MemorySegment in, final byte[] array,
        final ByteBuffer direct, final PollFd[] fds, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            out.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, i);
            if (64 != rsend(p[0], out, 64, 0))
            {
                fail("rsend: " + strerror(errno()));
            }
            long got = 0;
            while (got < 64)
            {
                if (1 != rpoll(fds, 1, 5_000))
                {
                    fail("rpoll: " + strerror(errno()));
                }
                got += rrecv(p[1], in, 64 - got, 0);
            }
            if (in.get(java.lang.foreign.ValueLayout.JAVA_INT, 0) != i)
            {
                fail("round trip " + i);
            }
            if (-1 != rrecv(p[1], array, 0, 64, MSG_DONTWAIT) || 11 != errno())
            {
                fail("nothing more to read");
            }
            if (64 != rsend(p[1], array, 0, 64, 0))
            {
                fail("rsend back: " + strerror(errno()));
            }
            int back = 0;
            direct.clear();
            while (back < 64)
            {
                if (1 != rpoll(fds, 2, 5_000) || 0 == (fds[1].revents() & POLLIN))
                {
                    fail("rpoll back: " + strerror(errno()));
                }
                back += rrecv(p[0], direct, 0);
            }
        }
    }
}
