package io.rdmasockets.tools.echo;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * DMM's perf-test flags ({@code getopt "p:d:s:a:l:t:e:i:f:r:n:w:u:x:"}), shared by both commands as in the
 * C sources: every flag is accepted by both so scripts written for the C pair run unchanged; each
 * command's help says which ones it uses. Defaults are C's, except {@code -u}: 0 (C's default, which
 * crashes C on {@code x % 0}) disables the periodic rate lines here.
 */
final class EchoFlags
{
    /** The largest -l: buffers are sized from it (C's were a fixed 1000 bytes and overflowed). */
    static final int MAX_LENGTH = 64 << 20;

    @Option(names = "-p", paramLabel = "port", defaultValue = "12345",
        description = "Client: server port to connect to (default: ${DEFAULT-VALUE}).")
    int destPort;

    @Option(names = "-d", paramLabel = "ip", defaultValue = "127.0.0.1",
        description = "Client: server address to connect to (default: ${DEFAULT-VALUE}).")
    String destAddress;

    @Option(names = "-a", paramLabel = "port", defaultValue = "12345",
        description = "Client: connection i binds local port a+i; 0 binds ephemeral ports (default: ${DEFAULT-VALUE}).")
    int srcPort;

    @Option(names = "-s", paramLabel = "ip", defaultValue = "0.0.0.0",
        description = "Local address: the client binds it, the server listens on it (default: ${DEFAULT-VALUE}).")
    String srcAddress;

    @Option(names = "-l", paramLabel = "bytes", defaultValue = "256",
        description = "Message length: bytes per ping and per echo (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "-t", paramLabel = "count", defaultValue = "1000",
        description = "Client: round trips per connection. Server: close a connection after this many " +
            "messages, 0 = when the client closes (default: ${DEFAULT-VALUE}).")
    long times;

    @Option(names = "-i", paramLabel = "us", defaultValue = "1000000",
        description = "Client: sleep this many microseconds every -e round trips, from the first; 0 = never " +
            "(default: ${DEFAULT-VALUE}).")
    long sleepMicros;

    @Option(names = "-e", paramLabel = "count", defaultValue = "10000",
        description = "Client: round trips between sleeps (default: ${DEFAULT-VALUE}).")
    long sleepCount;

    @Option(names = "-f", paramLabel = "count", defaultValue = "1",
        description = "Client: parallel connections, served in turn each round (default: ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "-r", paramLabel = "port", defaultValue = "7895",
        description = "Server: listen port, 0 = ephemeral (printed) (default: ${DEFAULT-VALUE}).")
    int recvPort;

    @Option(names = "-n", paramLabel = "count", defaultValue = "256",
        description = "Server: connections to serve; it exits when that many have come and gone " +
            "(default: ${DEFAULT-VALUE}).")
    int connectNum;

    @Option(names = "-w", paramLabel = "time", defaultValue = "0",
        description = "Accepted and ignored, as in C (unused there too).")
    long waitTime;

    @Option(names = "-u", paramLabel = "count", defaultValue = "0",
        description = "Print rate lines every u round trips (client) or messages (server); 0 = none " +
            "(default: ${DEFAULT-VALUE}).")
    long unitPrint;

    @Option(names = "-x", paramLabel = "flag", defaultValue = "1",
        description = "Client: non-zero adds the elapsed-time line. Server: non-zero enables the rate lines " +
            "(default: ${DEFAULT-VALUE}).")
    int flagPrint;

    /** Refuses values C would have crashed or misbehaved on, as picocli usage errors. */
    void validate(final CommandSpec spec)
    {
        check(spec, length >= 1 && length <= MAX_LENGTH, "-l must be 1.." + MAX_LENGTH + ", not " + length);
        check(spec, times >= 0, "-t must be >= 0, not " + times);
        check(spec, sleepMicros >= 0, "-i must be >= 0, not " + sleepMicros);
        check(spec, sleepCount >= 1, "-e must be >= 1, not " + sleepCount);
        check(spec, connections >= 1 && connections <= 10_000, "-f must be 1..10000, not " + connections);
        check(spec, connectNum >= 1, "-n must be >= 1, not " + connectNum);
        check(spec, unitPrint >= 0, "-u must be >= 0, not " + unitPrint);
        for (final int port : new int[] {destPort, srcPort, recvPort})
        {
            check(spec, port >= 0 && port <= 65_535, "ports must be 0..65535, not " + port);
        }
        check(spec, 0 == srcPort || srcPort + connections - 1 <= 65_535, "-a + -f - 1 must be <= 65535");
    }

    private static void check(final CommandSpec spec, final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** @return events per second over an interval, 0 for an empty interval. */
    static long perSecond(final long events, final long nanos)
    {
        return nanos <= 0 ? 0 : (long)(events * 1e9 / nanos);
    }
}
