package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.verbs.IdleStrategy;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmarks' measured loops must not allocate: running twice as many iterations must not allocate
 * more on the measuring thread (setup allocates the same either way, so it cancels out).
 */
@Timeout(60)
class HotLoopAllocationTest
{
    private static final long SLACK_BYTES = 16 * 1024;   // 4 bytes per extra iteration
    private static final Phase NO_WARMUP = new Phase(Duration.ZERO, 0);

    @Test
    void shouldNotAllocateInTheVerbsPingPongLoop() throws Exception
    {
        final VerbsProvider tcp = Verbs.provider("tcp").orElseThrow();
        assertLoopAllocatesNothing("verbs ping-pong", n -> VerbsPingPong.run(tcp, 64, NO_WARMUP,
            new Phase(Duration.ZERO, n), IdleStrategy.YIELD));
    }

    @Test
    void shouldNotAllocateInTheVerbsStreamLoop() throws Exception
    {
        final VerbsProvider tcp = Verbs.provider("tcp").orElseThrow();
        assertLoopAllocatesNothing("verbs stream", n -> VerbsStream.run(tcp, 4096, 16, NO_WARMUP,
            new Phase(Duration.ZERO, n), IdleStrategy.YIELD));
    }

    @Test
    void shouldNotAllocateInTheNioLoops() throws Exception
    {
        assertLoopAllocatesNothing("nio ping-pong",
            n -> NioPingPong.run(64, NO_WARMUP, new Phase(Duration.ZERO, n), null));
        assertLoopAllocatesNothing("nio stream", n -> NioStream.run(4096, NO_WARMUP, new Phase(Duration.ZERO, n), null));
        assertLoopAllocatesNothing("polled nio ping-pong",
            n -> NioPingPong.run(64, NO_WARMUP, new Phase(Duration.ZERO, n), IdleStrategy.YIELD));
        assertLoopAllocatesNothing("polled nio stream",
            n -> NioStream.run(4096, NO_WARMUP, new Phase(Duration.ZERO, n), IdleStrategy.YIELD));
    }

    private interface Run
    {
        Object iterations(long n) throws Exception;
    }

    private static void assertLoopAllocatesNothing(final String name, final Run run) throws Exception
    {
        allocated(() -> run.iterations(2_000));     // warm up the JIT and class loading
        final long small = allocated(() -> run.iterations(2_000));
        final long large = allocated(() -> run.iterations(6_000));
        assertTrue(large - small < SLACK_BYTES,
            name + ": 4000 more iterations allocated " + (large - small) + " bytes more (" + small + " vs " + large + ")");
    }

    private static long allocated(final Callable<?> body) throws Exception
    {
        // Reflection: the test compiles inside the tools module, which does not read jdk.management; the
        // tests run on the class path, where it is readable.
        final Object threads = Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean").invoke(null);
        final Method current = Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getCurrentThreadAllocatedBytes");
        final long before = (long)current.invoke(threads);
        body.call();
        return (long)current.invoke(threads) - before;
    }
}
