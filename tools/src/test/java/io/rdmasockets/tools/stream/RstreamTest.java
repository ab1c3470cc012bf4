package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.verbs.IdleStrategy;
import io.rdmasockets.verbs.Verbs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Rstream} through its API: rstream's default runs, and a timed loop that allocates nothing. */
@Timeout(120)
class RstreamTest
{
    private static final Duration LIMIT = Duration.ofSeconds(90);
    private static final long SLACK_BYTES = 16 * 1024;   // 8 bytes per extra iteration

    @Test
    void shouldHaveRstreamsSizes()
    {
        assertEquals(33, TestSizes.SIZES.length);
        final List<Integer> defaults = new ArrayList<>();
        for (int i = 0; i < TestSizes.SIZES.length; i++)
        {
            if (0 == TestSizes.OPTIONS[i])
            {
                defaults.add(TestSizes.SIZES[i]);
            }
        }
        assertEquals(List.of(64, 4096, 65536, 1 << 20), defaults);
        assertEquals(List.of(64, 128, 192, 256, 384, 512, 768), List.of(TestSizes.SIZES[0], TestSizes.SIZES[1],
            TestSizes.SIZES[2], TestSizes.SIZES[3], TestSizes.SIZES[4], TestSizes.SIZES[5], TestSizes.SIZES[6]));
        assertEquals(6 << 20, TestSizes.SIZES[32]);
        assertEquals(TestSizes.MAX_SIZE, TestSizes.SIZES[32]);
        assertEquals(100_000, TestSizes.sizeToCount(1023));
        assertEquals(10_000, TestSizes.sizeToCount(1024));
        assertEquals(1000, TestSizes.sizeToCount(65536));
        assertEquals(100, TestSizes.sizeToCount(1 << 20));
    }

    @Test
    void shouldRunTheDefaultTestsOfAllSizesOnTwoConnections()
    {
        final RsocketTransport rsocket = new RsocketTransport(Verbs.provider("tcp").orElseThrow());
        final StringWriter table = new StringWriter();
        final List<RstreamResult> results = RstreamPair.run(
            new RstreamSettings().transport(rsocket).allSizes(true).countDivisor(1000).verify(true)
                .idle(IdleStrategy.YIELD).out(quiet()),
            new RstreamSettings().transport(rsocket).allSizes(true).countDivisor(1000).verify(true)
                .idle(IdleStrategy.YIELD).out(new PrintWriter(table, true)),
            LIMIT);
        assertEquals(66, results.size());
        for (int i = 0; i < 33; i++)
        {
            final int size = TestSizes.SIZES[i];
            final int count = Math.max(1, TestSizes.sizeToCount(size) / 1000);
            final String sizeText = io.rdmasockets.tools.Units.sizeStr(size);
            assertEquals(new RstreamResult(sizeText + "_lat", size, 1, count, 0), zeroTime(results.get(i)));
            assertEquals(new RstreamResult(sizeText + "_bw", size, count, 1, 0), zeroTime(results.get(33 + i)));
        }
        final List<String> lines = table.toString().lines().toList();
        assertEquals(StreamRuns.HEADER, lines.getFirst());
        for (int i = 0; i < results.size(); i++)
        {
            assertEquals(results.get(i).row(), lines.get(i + 1));
        }
    }

    @Test
    void shouldNotAllocateInTheTimedLoop() throws Exception
    {
        final RsocketTransport rsocket = new RsocketTransport(Verbs.provider("tcp").orElseThrow());
        final SocketTransport socket = new SocketTransport();
        // Not rsockets with -T b: the loop is this one, but a blocking wait in the engine allocates (about 37
        // bytes per iteration with the tcp provider: its completion channel's wait), which is not the tool's.
        assertLoopAllocatesNothing("rsocket nonblocking verify", n -> custom(rsocket, n, Connection.MSG_DONTWAIT, true));
        assertLoopAllocatesNothing("socket nonblocking verify", n -> custom(socket, n, Connection.MSG_DONTWAIT, true));
        assertLoopAllocatesNothing("socket blocking", n -> custom(socket, n, Connection.MSG_WAITALL, false));
        assertLoopAllocatesNothing("rsocket async", n -> custom(rsocket, n, Connection.MSG_DONTWAIT, false, true));
        assertLoopAllocatesNothing("socket async", n -> custom(socket, n, Connection.MSG_DONTWAIT, false, true));
    }

    private static List<RstreamResult> custom(final Transport t, final int iterations, final int flags,
        final boolean verify)
    {
        return custom(t, iterations, flags, verify, false);
    }

    private static List<RstreamResult> custom(final Transport t, final int iterations, final int flags,
        final boolean verify, final boolean async)
    {
        // Yield: both sides share this machine's cores with the provider's threads; speed is not measured here.
        final Supplier<RstreamSettings> settings = () -> new RstreamSettings().transport(t).flags(flags).verify(verify)
            .async(async).idle(IdleStrategy.YIELD).transferSize(64).transferCount(1).iterations(iterations)
            .out(quiet());
        return RstreamPair.run(settings.get(), settings.get(), LIMIT);
    }

    private interface Run
    {
        Object iterations(int n) throws Exception;
    }

    private static void assertLoopAllocatesNothing(final String name, final Run run) throws Exception
    {
        allocated(() -> run.iterations(2_000));     // warm up the JIT and class loading
        final long small = allocated(() -> run.iterations(1_000));
        final long large = allocated(() -> run.iterations(3_000));
        assertTrue(large - small < SLACK_BYTES,
            name + ": 2000 more iterations allocated " + (large - small) + " bytes more (" + small + " vs " + large + ")");
    }

    private static long allocated(final Callable<?> body) throws Exception
    {
        // Reflection: the tools module does not read jdk.management; the tests run on the class path.
        final Object threads = Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean").invoke(null);
        final Method current = Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getCurrentThreadAllocatedBytes");
        final long before = (long)current.invoke(threads);
        body.call();
        return (long)current.invoke(threads) - before;
    }

    private static RstreamResult zeroTime(final RstreamResult r)
    {
        return new RstreamResult(r.name(), r.size(), r.transferCount(), r.iterations(), 0);
    }

    private static PrintWriter quiet()
    {
        return new PrintWriter(Writer.nullWriter());
    }
}
