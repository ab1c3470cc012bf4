package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.RsockRun;
import io.rdmasockets.tools.stream.StreamRuns.Pair;
import io.rdmasockets.tools.stream.StreamRuns.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static io.rdmasockets.tools.RsockRun.rsock;
import static io.rdmasockets.tools.stream.StreamRuns.stream;
import static io.rdmasockets.tools.stream.StreamRuns.table;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code rsock stream} end to end: server and client in this process on 127.0.0.1, over the tcp provider. */
@Timeout(90)
class StreamCommandTest
{
    private static final String[] CUSTOM = {"--provider", "tcp", "-S", "4k", "-C", "10", "-I", "20"};

    @Test
    void shouldRunACustomTestInTheDefaultNonblockingMode() throws Exception
    {
        assertCustomRun(stream(CUSTOM));
    }

    @Test
    void shouldRunBlocking() throws Exception
    {
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "b")));
    }

    @Test
    void shouldRunAsync() throws Exception
    {
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "async")));
    }

    @Test
    void shouldRunOverSockets() throws Exception
    {
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "s")));
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "sockets", "-T", "blocking")));
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "s", "-T", "a")));
    }

    @Test
    void shouldVerifyData() throws Exception
    {
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "v")));
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "v", "-T", "b")));
        assertCustomRun(stream(StreamRuns.with(CUSTOM, "-T", "v", "-T", "s")));
    }

    @Test
    void shouldRunOtherSizesCountsAndIterations() throws Exception
    {
        final Pair pair = stream("--provider", "tcp", "-S", "1536", "-C", "3", "-I", "7", "-B", "65536", "-i", "0");
        assertEquals(0, pair.server().exitCode(), pair::toString);
        assertEquals(0, pair.client().exitCode(), pair::toString);
        for (final RsockRun side : List.of(pair.server(), pair.client()))
        {
            final Row row = table(side.out(), 1536).getFirst();
            assertEquals(List.of("custom", "1.5k", "3", "7", "63k"),
                List.of(row.name(), row.bytes(), row.xfers(), row.iters(), row.total()), row::line);
        }
        // -I alone: rstream's custom defaults of 1000 transfers of 1000 bytes.
        final Pair defaults = stream("--provider", "tcp", "-I", "2");
        assertEquals(0, defaults.client().exitCode(), defaults::toString);
        final Row row = StreamRuns.row(defaults.client().out().lines().toList().get(1));
        assertEquals(List.of("custom", "1000", "1k", "2", "3.8m"),
            List.of(row.name(), row.bytes(), row.xfers(), row.iters(), row.total()), row::line);
    }

    @Test
    void shouldPrintKeepaliveLikeRstream() throws Exception
    {
        final Pair pair = stream(StreamRuns.with(CUSTOM, "-k", "5"));
        assertCustomRun(pair);
        // C's set_keepalive prints for each socket it sets options on: the client's, the listener and the accepted one.
        assertEquals(1, pair.client().out().split("Keepalive: ON\n  time: 5\n", -1).length - 1, pair::toString);
        assertEquals(2, pair.server().out().split("Keepalive: ON\n  time: 5\n", -1).length - 1, pair::toString);
    }

    @Test
    void shouldRejectBadFlagsWithAClearMessage()
    {
        assertUsageError(rsock("stream", "-T", "x"), "-T: unknown test option 'x'");
        assertUsageError(rsock("stream", "-T", "bogus"), "-T: unknown test option 'bogus'");
        assertUsageError(rsock("stream", "-f", "foo"), "-f: unknown address format 'foo'");
        assertUsageError(rsock("stream", "-I", "0"), "-I must be at least 1, not 0");
        assertUsageError(rsock("stream", "-S", "12q"), "-S: not a size: '12q'");
        assertUsageError(rsock("stream", "-p", "70000"), "-p must be 1..65535, not 70000");
        assertUsageError(rsock("stream", "-Z"), "Unknown option: '-Z'");
        final RsockRun gid = rsock("stream", "-f", "gid", "-s", "fe80::1");
        assertEquals(1, gid.exitCode(), gid::toString);
        assertEquals("rsock stream: -f gid: AF_IB addresses (rdma_getaddrinfo) are not supported; use name, ip or ipv6",
            gid.err().strip(), gid::toString);
        final RsockRun numeric = rsock("stream", "-f", "ip", "-s", "localhost");
        assertEquals("rsock stream: getaddrinfo: 'localhost' is not a numeric address (-f ip)", numeric.err().strip(),
            numeric::toString);
        final RsockRun asyncBlocking = rsock("stream", "-T", "a", "-T", "b", "-s", "127.0.0.1");
        assertEquals(1, asyncBlocking.exitCode(), asyncBlocking::toString);
        assertTrue(asyncBlocking.err().startsWith("rsock stream: -T a with -T b (rpoll waiting without a time limit) " +
            "is not available yet"), asyncBlocking::toString);
    }

    @Test
    void shouldReportARefusedConnection()
    {
        final String port = "" + StreamRuns.freePort();
        final RsockRun rsocket = rsock("stream", "--provider", "tcp", "-s", "127.0.0.1", "-p", port, "--timeout", "5s");
        assertEquals(1, rsocket.exitCode(), rsocket::toString);
        assertEquals(1, rsocket.err().lines().count(), rsocket::toString);
        assertTrue(rsocket.err().startsWith("rsock stream: rconnect to /127.0.0.1:" + port + ": ECONNREFUSED"),
            rsocket::toString);
        final RsockRun socket = rsock("stream", "-T", "s", "-s", "127.0.0.1", "-p", port, "--timeout", "5s");
        assertEquals(1, socket.exitCode(), socket::toString);
        assertEquals("rsock stream: connect to /127.0.0.1:" + port + ": Connection refused", socket.err().strip(),
            socket::toString);
    }

    @Test
    void shouldRunTheDemo()
    {
        final RsockRun demo = rsock("demo", "--provider", "tcp");
        assertEquals(0, demo.exitCode(), demo::toString);
        final List<String> lines = demo.out().lines().toList();
        final int header = lines.indexOf(StreamRuns.HEADER);
        assertTrue(header > 0, demo::toString);
        final List<String> names = lines.subList(header + 1, header + 9).stream().map(l -> StreamRuns.row(l).name())
            .toList();
        assertEquals(List.of("64_lat", "4k_lat", "64k_lat", "1m_lat", "64_bw", "4k_bw", "64k_bw", "1m_bw"), names,
            demo::toString);
        assertTrue(demo.out().contains("the server sent them back"), demo::toString);
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

    private static void assertUsageError(final RsockRun run, final String message)
    {
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith(message), run::toString);
    }
}
