package io.rdmasockets.provider.tcp;

import io.rdmasockets.provider.tcp.internal.TcpConfiguration;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The steady state allocates nothing: after warm-up, thousands of WRITE_WITH_IMM round trips allocate
 * (almost) no bytes on the posting/polling threads and on the provider's reactor threads.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TcpAllocationFreeTest
{
    private static final int WARMUP = 30_000;
    private static final int MEASURED = 20_000;
    /** Tolerance for JIT/selector housekeeping that happens to land in the window. */
    private static final long TOLERANCE_BYTES = 64 * 1024;

    @Test
    void shouldNotAllocatePerRoundTripInSteadyState() throws Exception
    {
        measure();
    }

    @Test
    void shouldNotAllocatePerRoundTripWhenReactorsDoAllTheReading() throws Exception
    {
        System.setProperty(TcpConfiguration.POLL_PROGRESS_PROP_NAME, "false");
        try
        {
            measure();
        }
        finally
        {
            System.clearProperty(TcpConfiguration.POLL_PROGRESS_PROP_NAME);
        }
    }

    private static void measure() throws Exception
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        try (RcPair pair = RcPair.connect(new TcpVerbsProvider(), InetAddress.getLoopbackAddress(),
            PairSpec.defaults().queueDepth(64, 64)))
        {
            final PingPong[] sides = PingPong.of(pair, 64);
            sides[0].postReceives(16);
            sides[1].postReceives(16);
            final int total = WARMUP + MEASURED;
            final Thread echo = Thread.ofPlatform().name("echo").start(() -> sides[1].echo(total));

            sides[0].rounds(WARMUP);
            final long[] ids = threadIds(echo);
            final long[] before = threads.getThreadAllocatedBytes(ids);
            sides[0].rounds(MEASURED);
            final long[] after = threads.getThreadAllocatedBytes(ids);
            echo.join(10_000);

            long allocated = 0;
            final StringBuilder detail = new StringBuilder();
            for (int i = 0; i < ids.length; i++)
            {
                final long delta = after[i] - before[i];
                allocated += delta;
                detail.append(" thread#").append(ids[i]).append('=').append(delta);
            }
            assertTrue(ids.length >= 3, "test, echo and at least one reactor thread: " + ids.length);
            assertTrue(allocated < TOLERANCE_BYTES,
                MEASURED + " round trips allocated " + allocated + " bytes:" + detail);
        }
    }

    private static long[] threadIds(final Thread echo)
    {
        final List<Long> ids = new ArrayList<>();
        ids.add(Thread.currentThread().threadId());
        ids.add(echo.threadId());
        for (final Thread t : Thread.getAllStackTraces().keySet())
        {
            if (t.getName().startsWith(TcpConfiguration.THREAD_NAME_PREFIX))
            {
                ids.add(t.threadId());
            }
        }
        final long[] result = new long[ids.size()];
        for (int i = 0; i < result.length; i++)
        {
            result[i] = ids.get(i);
        }
        return result;
    }
}
