package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.RsockRun;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs {@code rsock stream} (or {@code iostream}) server and client in this process, and checks their tables. */
final class StreamRuns
{
    static final String HEADER = "name      bytes   xfers   iters   total       time     Gb/sec    usec/xfer";
    private static final Pattern ROW = Pattern.compile(
        "(\\S+) +(\\S+) +(\\S+) +(\\S+) +(\\S+) +(\\d+\\.\\d{2})s +(\\d+\\.\\d{2}) +(\\d+\\.\\d{2})");

    /** Both sides' runs. */
    record Pair(RsockRun server, RsockRun client)
    {
        @Override
        public String toString()
        {
            return "--- server " + server + "\n--- client " + client;
        }
    }

    /**
     * One parsed table row.
     *
     * @param line the row as printed.
     */
    record Row(String line, String name, String bytes, String xfers, String iters, String total, double seconds,
        double gbits, double usecPerXfer)
    {
    }

    private StreamRuns()
    {
    }

    /** @return a port that was free a moment ago (bound to port 0, then released). */
    static int freePort()
    {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            return socket.getLocalPort();
        }
        catch (final IOException e)
        {
            throw new AssertionError(e);
        }
    }

    /**
     * Runs {@code rsock stream ARGS} as server on 127.0.0.1 (on its own thread) and as client.
     *
     * @param args what both sides get besides address, port and timeout.
     * @return both runs.
     */
    static Pair stream(final String... args) throws Exception
    {
        return run("stream", args);
    }

    /**
     * Runs {@code rsock COMMAND ARGS} as server on 127.0.0.1 (on its own thread) and as client.
     *
     * @param command {@code stream} or {@code iostream}.
     * @param args    what both sides get besides address, port and timeout.
     * @return both runs.
     */
    static Pair run(final String command, final String... args) throws Exception
    {
        final int port = freePort();
        final StringWriter serverOut = new StringWriter();
        final FutureTask<RsockRun> server = new FutureTask<>(() -> RsockRun.rsock(serverOut,
            with(args, command, "-b", "127.0.0.1", "-p", "" + port, "--timeout", "20s")));
        Thread.ofPlatform().daemon().name("stream-test-server").start(server);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!serverOut.toString().contains(HEADER) && !server.isDone())
        {
            if (System.nanoTime() - deadline > 0)
            {
                fail("the server did not start listening: " + serverOut);
            }
            Thread.sleep(10);
        }
        final RsockRun client = RsockRun.rsock(with(args, command, "-s", "127.0.0.1", "-p", "" + port,
            "--timeout", "20s"));
        return new Pair(server.get(60, TimeUnit.SECONDS), client);
    }

    static String[] with(final String[] args, final String... first)
    {
        final List<String> all = new ArrayList<>(Arrays.asList(first));
        all.addAll(Arrays.asList(args));
        return all.toArray(String[]::new);
    }

    /**
     * Checks that {@code out} is rstream's table, every row in rstream's exact columns, with rstream's
     * formulas holding between its numbers.
     *
     * @param out  what a side printed.
     * @param size bytes per transfer of each row, in order.
     * @return the rows.
     */
    static List<Row> table(final String out, final int... size)
    {
        final List<String> lines = out.lines().filter(l -> !l.startsWith("Keepalive") && !l.startsWith("  time"))
            .toList();
        assertEquals(HEADER, lines.getFirst(), out);
        assertEquals(size.length + 1, lines.size(), out);
        final List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++)
        {
            final Row row = row(lines.get(i));
            final long xfers = count(row.xfers());
            final long iters = count(row.iters());
            // Only exact when the counts print without a k/m suffix, as they do in these tests.
            assertEquals(row.total(), io.rdmasockets.tools.Units.sizeStr(2L * size[i - 1] * xfers * iters), row.line());
            // Gb/sec * usec/xfer = size * 8 / 1000 whatever the time (both rounded to two decimals).
            final double expected = size[i - 1] * 8 / 1000.0;
            assertTrue(Math.abs(row.gbits() * row.usecPerXfer() - expected) <= expected * 0.03 + 0.01 *
                (row.gbits() + row.usecPerXfer()), row.line());
            rows.add(row);
        }
        return rows;
    }

    /** @return the row, after checking it has exactly rstream's columns. */
    static Row row(final String line)
    {
        final Matcher m = ROW.matcher(line);
        assertTrue(m.matches(), () -> "not an rstream row: '" + line + "'");
        final Row row = new Row(line, m.group(1), m.group(2), m.group(3), m.group(4), m.group(5),
            Double.parseDouble(m.group(6)), Double.parseDouble(m.group(7)), Double.parseDouble(m.group(8)));
        assertEquals(String.format(Locale.ROOT, "%-10s%-8s%-8s%-8s%-8s%8.2fs%10.2f%11.2f", row.name(), row.bytes(),
            row.xfers(), row.iters(), row.total(), row.seconds(), row.gbits(), row.usecPerXfer()), line);
        return row;
    }

    private static long count(final String text)
    {
        assertTrue(text.matches("\\d+"), () -> "expected a plain count: " + text);
        return Long.parseLong(text);
    }
}
