package io.rdmasockets.tools.echo;

import io.rdmasockets.tools.RsockRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.rdmasockets.tools.RsockRun.rsock;
import static org.junit.jupiter.api.Assertions.*;

/** {@code rsock echo-server} and {@code echo-client} together in this process on 127.0.0.1, ephemeral port. */
@Timeout(60)
class EchoCommandsTest
{
    private static final Pattern BOUND = Pattern.compile("INFO:Bind Success, port (\\d+) IP:127\\.0\\.0\\.1");
    private static final Pattern SENDCOUNT_PPS = Pattern.compile("(?m)^sendcount (\\d+) , pps=(\\d+)$");
    private static final Pattern SENDCOUNT_BYTES = Pattern.compile("(?m)^sendcount (\\d+) , bytes/s=(\\d+)$");
    private static final Pattern SENDCOUNT_TIME = Pattern.compile("(?m)^ sendcount (\\d+), time: (\\d+) ns$");
    private static final Pattern SENDTIME =
        Pattern.compile("(?m)^client (\\d+) send (\\d+) , sendtime :(\\d+) s (\\d+) ns$");
    private static final Pattern RECEIVE = Pattern.compile("(?m)^receive count:(\\d+), receive time: (\\d+) ns$");
    private static final Pattern RECEIVE_PPS = Pattern.compile("(?m)^receive pps = (\\d+)$");
    private static final Pattern RECEIVE_BYTES = Pattern.compile("(?m)^receive bytes/s = (\\d+) \\(connection \\d+\\)$");
    private static final Pattern DONE = Pattern.compile("(?m)^server done: (\\d+) connections, (\\d+) messages$");

    private final ExecutorService threads = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "echo-server-test");
        t.setDaemon(true);
        return t;
    });

    private record Runs(RsockRun server, RsockRun client)
    {
    }

    /** Starts the server on an ephemeral port, runs the client against it, waits for the server to end. */
    private Runs run(final int connections, final String[] server, final String... client) throws Exception
    {
        final StringWriter serverOut = new StringWriter();
        final List<String> serverArgs = new ArrayList<>(List.of("echo-server", "-s", "127.0.0.1", "-r", "0",
            "-n", "" + connections));
        serverArgs.addAll(List.of(server));
        final Future<RsockRun> serverRun = threads.submit(() -> rsock(serverOut, serverArgs.toArray(String[]::new)));
        Matcher bound = BOUND.matcher("");
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!(bound = BOUND.matcher(serverOut.toString())).find())
        {
            assertFalse(serverRun.isDone(), () -> "server ended: " + serverOut);
            assertTrue(System.nanoTime() < deadline, () -> "server not listening: " + serverOut);
            Thread.sleep(10);
        }
        final List<String> clientArgs = new ArrayList<>(List.of("echo-client", "-d", "127.0.0.1", "-p", bound.group(1),
            "-s", "127.0.0.1"));
        for (final String[] option : new String[][] {{"-a", "0"}, {"-i", "0"}})
        {
            if (!List.of(client).contains(option[0])) // picocli refuses an option given twice
            {
                clientArgs.addAll(List.of(option));
            }
        }
        clientArgs.addAll(List.of(client));
        final RsockRun clientRun = rsock(clientArgs.toArray(String[]::new));
        return new Runs(serverRun.get(30, TimeUnit.SECONDS), clientRun);
    }

    private static List<long[]> all(final Pattern pattern, final String text)
    {
        final List<long[]> rows = new ArrayList<>();
        final Matcher m = pattern.matcher(text);
        while (m.find())
        {
            final long[] row = new long[m.groupCount()];
            for (int g = 0; g < row.length; g++)
            {
                row[g] = Long.parseLong(m.group(g + 1));
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void shouldPingPongWithTheLinesOfTheCPair() throws Exception
    {
        final Runs runs = run(2, new String[] {"-l", "100", "-t", "200", "-u", "50"},
            "-f", "2", "-l", "100", "-t", "200", "-u", "50");
        assertEquals(0, runs.client().exitCode(), runs::toString);
        assertEquals(0, runs.server().exitCode(), runs::toString);
        final String client = runs.client().out();
        final String server = runs.server().out();

        final List<long[]> pps = all(SENDCOUNT_PPS, client);
        assertEquals(List.of(50L, 100L, 150L, 200L), pps.stream().map(r -> r[0]).toList(), client);
        pps.forEach(r -> assertTrue(r[1] > 0, client));
        final List<long[]> bytes = all(SENDCOUNT_BYTES, client);
        for (int i = 0; i < pps.size(); i++)
        {
            assertEquals(pps.get(i)[1] * 100, bytes.get(i)[1], "bytes/s = pps x -l");
        }
        assertEquals(4, all(SENDCOUNT_TIME, client).size(), client);
        final List<long[]> sent = all(SENDTIME, client);
        assertEquals(2, sent.size(), client);
        for (int i = 0; i < 2; i++)
        {
            assertEquals(i, sent.get(i)[0]);
            assertEquals(200, sent.get(i)[1]);
            assertTrue(sent.get(i)[3] >= 0 && sent.get(i)[3] < 1_000_000_000, "ns field borrows: " + client);
        }
        assertTrue(client.contains("client 0 Connect Success port:"), client);
        assertTrue(client.contains("client 1 close!"), client);

        final List<long[]> received = all(RECEIVE, server);
        assertEquals(8, received.size(), "4 lines per connection: " + server);
        assertEquals(List.of(50L, 50L, 100L, 100L, 150L, 150L, 200L, 200L),
            received.stream().map(r -> r[0]).sorted().toList());
        assertEquals(8, all(RECEIVE_PPS, server).size(), server);
        assertEquals(8, all(RECEIVE_BYTES, server).size(), server);
        final List<long[]> done = all(DONE, server);
        assertEquals(1, done.size(), server);
        assertArrayEquals(new long[] {2, 400}, done.get(0), server);
        assertTrue(server.contains("INFO:SelectorProvider "), server);
    }

    @Test
    void shouldHandleMessagesLargerThanTheSocketBuffers() throws Exception
    {
        // 4 MiB messages need many partial reads and writes on both sides (C overflowed its 1000-byte buffers).
        final Runs runs = run(1, new String[] {"-l", "" + (4 << 20), "-t", "0", "-x", "0"},
            "-l", "" + (4 << 20), "-t", "5", "-u", "5", "-x", "0");
        assertEquals(0, runs.client().exitCode(), runs::toString);
        assertEquals(0, runs.server().exitCode(), runs::toString);
        assertEquals(1, all(SENDCOUNT_PPS, runs.client().out()).size(), runs::toString);
        assertEquals(0, all(SENDCOUNT_TIME, runs.client().out()).size(), "-x 0: no time line");
        assertEquals(0, all(RECEIVE, runs.server().out()).size(), "-x 0: no receive lines");
        assertArrayEquals(new long[] {1, 5}, all(DONE, runs.server().out()).get(0), runs::toString);
    }

    @Test
    void shouldBindTheGivenSourcePortsAndPace() throws Exception
    {
        final int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort(); // free a moment ago: -a binds it (SO_REUSEADDR, as C)
        }
        final long start = System.nanoTime();
        final Runs runs = run(1, new String[] {"-t", "20"}, "-t", "20", "-i", "20000", "-e", "5", "-u", "10");
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals(0, runs.client().exitCode(), runs::toString);
        assertTrue(ms >= 80, "4 sleeps of 20 ms (rounds 0, 5, 10, 15), took " + ms + " ms");
        assertEquals(2, all(SENDCOUNT_PPS, runs.client().out()).size(), runs::toString);

        final Runs bound = run(1, new String[] {"-t", "3"}, "-t", "3", "-a", "" + port);
        assertEquals(0, bound.client().exitCode(), bound::toString);
        assertTrue(bound.client().out().contains("client 0 bind Success port:" + port + " IP:127.0.0.1"), bound::toString);
    }

    @Test
    void shouldFailWhenTheServerStopsEarly() throws Exception
    {
        final Runs runs = run(1, new String[] {"-t", "10"}, "-t", "20");
        assertEquals(1, runs.client().exitCode(), runs::toString);
        assertTrue(runs.client().err().contains("the server closed the connection after 10 round trips"), runs::toString);
        assertArrayEquals(new long[] {1, 10}, all(DONE, runs.server().out()).get(0), runs::toString);
    }

    @Test
    void shouldBeListedInHelp()
    {
        final RsockRun run = rsock("--help");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains("  echo-server "), run::toString);
        assertTrue(run.out().contains("  echo-client "), run::toString);
        final RsockRun help = rsock("echo-client", "--help");
        for (final String flag : new String[] {"-p", "-d", "-a", "-s", "-l", "-t", "-i", "-e", "-f", "-r", "-n", "-w", "-u", "-x"})
        {
            assertTrue(help.out().contains(flag + "="), () -> flag + " missing\n" + help);
        }
    }

    @Test
    void shouldRefuseBadFlags()
    {
        for (final String[] args : new String[][] {
            {"echo-client", "-z", "1"}, {"echo-client", "-l", "0"}, {"echo-client", "-l", "x"},
            {"echo-client", "-f", "0"}, {"echo-client", "-u", "-1"}, {"echo-client", "-e", "0"},
            {"echo-server", "-r", "70000"}, {"echo-server", "-n", "0"}, {"echo-server", "-t", "-1"},
            {"echo-client", "-a", "65535", "-f", "2"}})
        {
            final RsockRun run = rsock(args);
            assertEquals(2, run.exitCode(), () -> String.join(" ", args) + "\n" + run);
            assertTrue(run.err().contains("Usage:") || run.err().contains("must be"), run::toString);
        }
        final RsockRun refused = rsock("echo-client", "-d", "127.0.0.1", "-p", "1", "-s", "127.0.0.1", "-a", "0", "-i", "0");
        assertEquals(1, refused.exitCode(), refused::toString);
        assertTrue(refused.out().contains("client 0 Connect Failed port:1, IP:127.0.0.1"), refused::toString);
        assertTrue(refused.err().startsWith("rsock echo-client: client 0: connect 127.0.0.1:1: "), refused::toString);
    }
}
