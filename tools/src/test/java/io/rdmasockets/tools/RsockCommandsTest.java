package io.rdmasockets.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.regex.Pattern;

import static io.rdmasockets.tools.RsockRun.rsock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the commands in-process, as {@code ./rsock} would, against the tcp provider (a runtime
 * dependency of this module).
 */
@Timeout(60)
class RsockCommandsTest
{
    private static final Pattern GUID = Pattern.compile("node_guid:\\s+\\p{XDigit}{4}(:\\p{XDigit}{4}){3}");
    private static final Pattern RATIO = Pattern.compile("\\d+\\.\\d{2}x");

    @Test
    void shouldListCommandsInHelp()
    {
        final RsockRun run = rsock("--help");
        assertEquals(0, run.exitCode(), run::toString);
        for (final String command : new String[] {"devices", "demo", "stream", "demo-verbs", "bench-verbs", "bench-stream"})
        {
            assertTrue(run.out().contains("  " + command + " "), () -> command + " missing\n" + run);
        }
    }

    @Test
    void shouldPrintVersion()
    {
        final RsockRun run = rsock("--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("rsock "), run::toString);
    }

    @Test
    void shouldListTcpProviderAndItsDevice()
    {
        final RsockRun run = rsock("devices", "-v");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(Pattern.compile("(?m)^\\s+tcp\\s+priority -?\\d+\\s+available$").matcher(run.out()).find(),
            run::toString);
        assertTrue(run.out().contains("provider tcp: "), run::toString);
        assertTrue(run.out().contains("hca_id: "), run::toString);
        assertTrue(GUID.matcher(run.out()).find(), run::toString);
        for (final String field : new String[] {"transport:", "fw_ver:", "max_qp:", "max_qp_wr:", "max_sge:",
            "max_cqe:", "max_mr_size:", "port:", "state:", "active_mtu:", "link_layer:", "active_speed:"})
        {
            assertTrue(run.out().contains(field), () -> field + " missing\n" + run);
        }
    }

    @Test
    void shouldShowWhyAProviderIsUnavailable()
    {
        System.setProperty("rdmasockets.tcp.disabled", "true");
        try
        {
            final RsockRun devices = rsock("devices");
            assertEquals(Rsock.EXIT_FAILURE, devices.exitCode(), devices::toString);
            assertTrue(Pattern.compile("(?m)^\\s+tcp\\s+priority -?\\d+\\s+unavailable: .*rdmasockets\\.tcp\\.disabled")
                .matcher(devices.out()).find(), devices::toString);
            final RsockRun demo = rsock("demo", "--provider", "tcp");
            assertEquals(Rsock.EXIT_FAILURE, demo.exitCode(), demo::toString);
            assertTrue(demo.err().startsWith("rsock demo: verbs provider 'tcp' is unavailable: "), demo::toString);
            assertEquals(1, demo.err().lines().count(), demo::toString);
        }
        finally
        {
            System.clearProperty("rdmasockets.tcp.disabled");
        }
    }

    @Test
    void shouldPassEveryVerbsDemoCheck()
    {
        final RsockRun run = rsock("demo-verbs", "--provider", "tcp");
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(run.out().contains("[FAIL]"), run::toString);
        assertTrue(run.out().contains("PASSED: "), run::toString);
        assertTrue(run.out().contains("RECV_RDMA_WITH_IMM"), run::toString);
        assertTrue(run.out().contains("REM_ACCESS_ERR"), run::toString);
        assertTrue(run.out().contains("Gb/s"), run::toString);
    }

    /**
     * Short runs back to back in one JVM: each ends with the pong thread leaving right after its last
     * message while the reactor takes reading back, and each restarts the reactor. A race there once
     * lost the ACK of the final write (one run in a few hundred hung for 10 s).
     */
    @Test
    @Timeout(180)
    void shouldFinishEveryShortBenchRunBackToBack()
    {
        for (int i = 0; i < 200; i++)
        {
            final RsockRun run = rsock("bench-verbs", "--provider", "tcp", "-t", "lat", "-w", "0ms", "-n", "200");
            assertEquals(0, run.exitCode(), "run " + i + ": " + run);
        }
    }

    @Test
    void shouldPrintBothNumbersAndRatios()
    {
        final RsockRun run = rsock("bench-verbs", "--provider", "tcp", "-w", "50ms", "-d", "300ms");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("provider(tcp)") && run.out().contains("jdk-nio"), run::toString);
        for (final String row : new String[] {"lat p50 (us)", "lat p99 (us)", "lat p99.9 (us)", "lat mean (us)",
            "bw (Gb/s)"})
        {
            final Pattern line = Pattern.compile("(?m)^" + Pattern.quote(row) + "\\s+\\S+\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+\\s+" +
                RATIO.pattern() + "$");
            assertTrue(line.matcher(run.out()).find(), () -> row + " row missing\n" + run);
        }
    }

    @Test
    void shouldBenchmarkStreamsSideBySide()
    {
        final RsockRun run = rsock("bench-stream", "--provider", "tcp", "--rounds", "1", "--lat-iterations", "200",
            "--bw-count", "20");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("rsocket(tcp)") && run.out().contains("socket"), run::toString);
        for (final String row : new String[] {"usec/xfer", "rtt p50 (us)", "rtt p99 (us)", "bw (Gb/s)", "bw +copies"})
        {
            final Pattern line = Pattern.compile("(?m)^" + Pattern.quote(row) + "\\s+\\S+\\s+\\d+\\.\\d+\\s+\\d+\\.\\d+\\s+" +
                RATIO.pattern() + "$");
            assertTrue(line.matcher(run.out()).find(), () -> row + " row missing\n" + run);
        }
        assertTrue(Pattern.compile("(?m)^target: latency \\(rtt p50\\) within 1.20x of sockets: (met|NOT met) \\(\\d+\\.\\d{2}x\\); " +
            "bandwidth at least 0.90x: (met|NOT met) \\(\\d+\\.\\d{2}x\\)$").matcher(run.out()).find(), run::toString);
    }

    @Test
    void shouldBenchmarkAFixedNumberOfIterations()
    {
        final RsockRun run = rsock("bench-verbs", "--provider", "tcp", "-t", "lat", "-S", "1k", "-w", "0s", "-n", "200");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("lat 1k: 200 round trips (tcp), 200 (jdk-nio)"), run::toString);
    }

    @Test
    void shouldReportAnUnknownProviderOnOneLine()
    {
        final RsockRun run = rsock("demo", "--provider", "no-such-provider");
        assertEquals(Rsock.EXIT_FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("rsock demo: no verbs provider named 'no-such-provider'"), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    @Test
    void shouldRejectABadSizeWithUsage()
    {
        final RsockRun run = rsock("bench-verbs", "-S", "12q");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("not a size: '12q'"), run::toString);
    }
}
