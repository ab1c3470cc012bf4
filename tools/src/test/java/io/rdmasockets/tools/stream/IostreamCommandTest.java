package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.RsockRun;
import io.rdmasockets.tools.stream.StreamRuns.Pair;
import io.rdmasockets.tools.stream.StreamRuns.Row;
import io.rdmasockets.verbs.Verbs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static io.rdmasockets.tools.RsockRun.rsock;
import static io.rdmasockets.tools.stream.StreamRuns.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rsock iostream} end to end: server and client in this process on 127.0.0.1, over the tcp provider. */
@Timeout(90)
class IostreamCommandTest
{
    private static final String[] CUSTOM = {"--provider", "tcp", "-S", "4k", "-C", "10", "-I", "20"};

    @Test
    void shouldRunACustomTestNonblockingBlockingAndAsync() throws Exception
    {
        assertCustomRun(StreamRuns.run("iostream", CUSTOM));
        assertCustomRun(StreamRuns.run("iostream", StreamRuns.with(CUSTOM, "-T", "b")));
        assertCustomRun(StreamRuns.run("iostream", StreamRuns.with(CUSTOM, "-T", "a")));
    }

    @Test
    void shouldVerifyDataPlacedByRiowrite() throws Exception
    {
        assertCustomRun(StreamRuns.run("iostream", StreamRuns.with(CUSTOM, "-T", "v")));
        assertCustomRun(StreamRuns.run("iostream", StreamRuns.with(CUSTOM, "-T", "verify", "-T", "blocking")));
        // Sizes that are not a multiple of the 2 KiB..64 KiB chunks, one transfer per iteration (latency).
        final Pair odd = StreamRuns.run("iostream", "--provider", "tcp", "-S", "70001", "-C", "1", "-I", "30",
            "-T", "v", "-B", "65536");
        assertEquals(0, odd.client().exitCode(), odd::toString);
        assertEquals(0, odd.server().exitCode(), odd::toString);
    }

    @Test
    void shouldRunTheDefaultSizesOnBothConnections()
    {
        final StringWriter out = new StringWriter();
        final List<RstreamResult> results = RstreamPair.run(settings(new StringWriter()), settings(out),
            Duration.ofSeconds(60));
        assertEquals(List.of("64_lat", "4k_lat", "64k_lat", "1m_lat", "64_bw", "4k_bw", "64k_bw", "1m_bw"),
            results.stream().map(RstreamResult::name).toList(), out::toString);
        final List<String> lines = out.toString().lines().toList();
        assertEquals(StreamRuns.HEADER, lines.getFirst(), out::toString);
        assertEquals(List.of("64_lat", "4k_lat", "64k_lat", "1m_lat", "64_bw", "4k_bw", "64k_bw", "1m_bw"),
            lines.subList(1, lines.size()).stream().map(l -> StreamRuns.row(l).name()).toList(), out::toString);
    }

    @Test
    void shouldRefuseWhatRiostreamDoesNotTake()
    {
        final RsockRun sockets = rsock("iostream", "-T", "s");
        assertEquals(2, sockets.exitCode(), sockets::toString);
        assertTrue(sockets.err().startsWith("-T: unknown test option 's' (a|async, b|blocking, n|nonblocking, " +
            "v|verify)"), sockets::toString);
        final RsockRun keepalive = rsock("iostream", "-k", "5", "-s", "127.0.0.1");
        assertEquals(2, keepalive.exitCode(), keepalive::toString);
        assertTrue(keepalive.err().startsWith("-k: riostream has no keepalive option"), keepalive::toString);
    }

    @Test
    void shouldListOnlyWhatRiostreamTakesInItsHelp()
    {
        final RsockRun help = rsock("iostream", "--help");
        assertEquals(0, help.exitCode(), help::toString);
        for (final String refused : List.of("-k=", "keepalive", "s|sockets", "f|fork", "r|resolve"))
        {
            assertFalse(help.out().contains(refused), () -> refused + " in: " + help.out());
        }
        for (final String taken : List.of("a|async", "b|blocking", "n|nonblocking", "v|verify", "-T=test_option"))
        {
            assertTrue(help.out().contains(taken), () -> taken + " missing in: " + help.out());
        }
        // rstream keeps its own.
        final RsockRun stream = rsock("stream", "--help");
        assertTrue(stream.out().contains("-k=keepalive_time") && stream.out().contains("s|sockets"), stream::toString);
    }

    /** The default run with a hundredth of its counts, verified, with RDMA_IOMAPSIZE 1 as riostream. */
    private static RstreamSettings settings(final StringWriter out)
    {
        return new RstreamSettings().transport(new RsocketTransport(Verbs.provider("tcp").orElseThrow(), 1))
            .iostream(true).verify(true).countDivisor(100).out(new PrintWriter(out, true));
    }

    private static void assertCustomRun(final Pair pair)
    {
        assertEquals(0, pair.server().exitCode(), pair::toString);
        assertEquals(0, pair.client().exitCode(), pair::toString);
        assertEquals("", pair.server().err() + pair.client().err(), pair::toString);
        for (final RsockRun side : List.of(pair.server(), pair.client()))
        {
            final Row row = table(side.out(), 4096).getFirst();
            assertEquals(List.of("custom", "4k", "10", "20", "1.5m"),
                List.of(row.name(), row.bytes(), row.xfers(), row.iters(), row.total()), row::line);
        }
    }
}
