package io.rdmasockets.tools;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;

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

    private record Run(int exitCode, String out, String err)
    {
        @Override
        public String toString()
        {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private static Run rsock(final String... args)
    {
        final CommandLine commandLine = Rsock.newCommandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        final int exitCode = commandLine.execute(args);
        return new Run(exitCode, out.toString(), err.toString());
    }

    @Test
    void shouldListCommandsInHelp()
    {
        final Run run = rsock("--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("devices") && run.out().contains("demo") && run.out().contains("bench-verbs"),
            run::toString);
    }

    @Test
    void shouldPrintVersion()
    {
        final Run run = rsock("--version");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().startsWith("rsock "), run::toString);
    }

    @Test
    void shouldListTcpProviderAndItsDevice()
    {
        final Run run = rsock("devices", "-v");
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
            final Run devices = rsock("devices");
            assertEquals(Rsock.EXIT_FAILURE, devices.exitCode(), devices::toString);
            assertTrue(Pattern.compile("(?m)^\\s+tcp\\s+priority -?\\d+\\s+unavailable: .*rdmasockets\\.tcp\\.disabled")
                .matcher(devices.out()).find(), devices::toString);
            final Run demo = rsock("demo", "--provider", "tcp");
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
    void shouldPassEveryDemoCheck()
    {
        final Run run = rsock("demo", "--provider", "tcp");
        assertEquals(0, run.exitCode(), run::toString);
        assertFalse(run.out().contains("[FAIL]"), run::toString);
        assertTrue(run.out().contains("PASSED: "), run::toString);
        assertTrue(run.out().contains("RECV_RDMA_WITH_IMM"), run::toString);
        assertTrue(run.out().contains("REM_ACCESS_ERR"), run::toString);
        assertTrue(run.out().contains("Gb/s"), run::toString);
    }

    @Test
    void shouldPrintBothNumbersAndRatios()
    {
        final Run run = rsock("bench-verbs", "--provider", "tcp", "-w", "50ms", "-d", "300ms");
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
    void shouldBenchmarkAFixedNumberOfIterations()
    {
        final Run run = rsock("bench-verbs", "--provider", "tcp", "-t", "lat", "-S", "1k", "-w", "0s", "-n", "200");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("lat 1k: 200 round trips (tcp), 200 (jdk-nio)"), run::toString);
    }

    @Test
    void shouldReportAnUnknownProviderOnOneLine()
    {
        final Run run = rsock("demo", "--provider", "no-such-provider");
        assertEquals(Rsock.EXIT_FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("rsock demo: no verbs provider named 'no-such-provider'"), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
    }

    @Test
    void shouldRejectABadSizeWithUsage()
    {
        final Run run = rsock("bench-verbs", "-S", "12q");
        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.err().contains("not a size: '12q'"), run::toString);
    }
}
