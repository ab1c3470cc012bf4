package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.verbs.IdleStrategy;
import org.HdrHistogram.Histogram;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.function.IntConsumer;

/**
 * What one side of rstream runs: C rstream's globals after option parsing, with its defaults, plus what
 * a Java process adds (the socket layer, time limits, where the table goes). Fluent setters.
 */
public final class RstreamSettings
{
    /** rstream's default port. */
    public static final int PORT_DEFAULT = 7471;
    /** SO_SNDBUF/SO_RCVBUF when {@code -B} is not given. */
    public static final int BUFFER_SIZE_DEFAULT = 1 << 19;

    Transport transport;
    PrintWriter out;
    String server;
    String bind;
    boolean numericHost;
    int bufferSize = BUFFER_SIZE_DEFAULT;
    int inlineSize = 64;
    int iterations = 1;
    int transferCount = 1000;
    int transferSize = 1000;
    boolean custom;
    boolean allSizes;
    int port = PORT_DEFAULT;
    int keepaliveSeconds;
    int flags = Connection.MSG_DONTWAIT;
    boolean async;
    boolean verify;
    boolean iostream;
    Duration timeout = Duration.ofSeconds(30);
    boolean waitForFirstClient = true;
    int countDivisor = 1;
    Histogram roundTrips;
    IntConsumer onListening;
    IdleStrategy idle = IdleStrategy.SPIN;

    /** @param transport rsockets or sockets. @return this. */
    public RstreamSettings transport(final Transport transport)
    {
        this.transport = transport;
        return this;
    }

    /** @param out where the table goes. @return this. */
    public RstreamSettings out(final PrintWriter out)
    {
        this.out = out;
        return this;
    }

    /** @param server {@code -s}: the server to connect to (client mode), or null to be the server. @return this. */
    public RstreamSettings server(final String server)
    {
        this.server = server;
        return this;
    }

    /** @param bind {@code -b}: the local address, or null. @return this. */
    public RstreamSettings bind(final String bind)
    {
        this.bind = bind;
        return this;
    }

    /** @param numeric {@code -f ip}: addresses are numeric, no name lookups. @return this. */
    public RstreamSettings numericHost(final boolean numeric)
    {
        this.numericHost = numeric;
        return this;
    }

    /** @param bytes {@code -B}: SO_SNDBUF and SO_RCVBUF. @return this. */
    public RstreamSettings bufferSize(final int bytes)
    {
        this.bufferSize = bytes;
        return this;
    }

    /** @param bytes {@code -i}: RDMA_INLINE of the latency connection. @return this. */
    public RstreamSettings inlineSize(final int bytes)
    {
        this.inlineSize = bytes;
        return this;
    }

    /** @param n {@code -I}: iterations; makes the run a custom one. @return this. */
    public RstreamSettings iterations(final int n)
    {
        this.iterations = n;
        this.custom = true;
        return this;
    }

    /** @param n {@code -C}: transfers per iteration and direction; makes the run a custom one. @return this. */
    public RstreamSettings transferCount(final int n)
    {
        this.transferCount = n;
        this.custom = true;
        return this;
    }

    /** @param bytes {@code -S SIZE}: bytes per transfer; makes the run a custom one. @return this. */
    public RstreamSettings transferSize(final int bytes)
    {
        this.transferSize = bytes;
        this.custom = true;
        return this;
    }

    /** @param all {@code -S all}: the default run over all 33 sizes. @return this. */
    public RstreamSettings allSizes(final boolean all)
    {
        this.allSizes = all;
        return this;
    }

    /** @param port {@code -p}. @return this. */
    public RstreamSettings port(final int port)
    {
        this.port = port;
        return this;
    }

    /** @param seconds {@code -k}: SO_KEEPALIVE with this TCP_KEEPIDLE; 0 for none. @return this. */
    public RstreamSettings keepaliveSeconds(final int seconds)
    {
        this.keepaliveSeconds = seconds;
        return this;
    }

    /**
     * @param flags {@link Connection#MSG_DONTWAIT} (the default: nonblocking sockets, busy loop) or
     *              {@link Connection#MSG_WAITALL} ({@code -T b}: blocking calls).
     * @return this.
     */
    public RstreamSettings flags(final int flags)
    {
        this.flags = flags;
        return this;
    }

    /** @param async {@code -T a}: poll before each call. @return this. */
    public RstreamSettings async(final boolean async)
    {
        this.async = async;
        return this;
    }

    /** @param verify {@code -T v}: send and check C's data pattern. @return this. */
    public RstreamSettings verify(final boolean verify)
    {
        this.verify = verify;
        return this;
    }

    /**
     * @param iostream riostream instead of rstream (wire-protocol doc section 8.2): each side maps its buffer,
     *                 transfers are riowrites into the peer's, and the receiver spins on the buffer's last byte;
     *                 needs a transport whose connections are {@link IoConnection}s with RDMA_IOMAPSIZE 1.
     * @return this.
     */
    public RstreamSettings iostream(final boolean iostream)
    {
        this.iostream = iostream;
        return this;
    }

    /**
     * @param timeout how long to wait for the peer: connect, accept (see {@link #waitForFirstClient}), a
     *                transfer that makes no progress.
     * @return this.
     */
    public RstreamSettings timeout(final Duration timeout)
    {
        this.timeout = timeout;
        return this;
    }

    /** @param forever whether a server waits for its first client without limit, as rstream. @return this. */
    public RstreamSettings waitForFirstClient(final boolean forever)
    {
        this.waitForFirstClient = forever;
        return this;
    }

    /** @param divisor divides the default run's counts, for a short run (the demo). @return this. */
    public RstreamSettings countDivisor(final int divisor)
    {
        this.countDivisor = divisor;
        return this;
    }

    /** @param histogram records each iteration's time in nanoseconds (benchmarks), or null. @return this. */
    public RstreamSettings roundTrips(final Histogram histogram)
    {
        this.roundTrips = histogram;
        return this;
    }

    /**
     * @param idle what the nonblocking loop does after an EAGAIN: {@link IdleStrategy#SPIN} as C (a busy
     *             loop), or give the core away to a software provider's threads on a small machine.
     * @return this.
     */
    public RstreamSettings idle(final IdleStrategy idle)
    {
        this.idle = idle;
        return this;
    }

    /** @param listener told the port once a server listens (port 0 picks a free one), or null. @return this. */
    public RstreamSettings onListening(final IntConsumer listener)
    {
        this.onListening = listener;
        return this;
    }

    /** @return true when this side connects (C's {@code dst_addr}). */
    public boolean isClient()
    {
        return null != server;
    }

    /** @return whether the sockets are nonblocking (C's {@code flags & MSG_DONTWAIT}). */
    boolean nonblocking()
    {
        return 0 != (flags & Connection.MSG_DONTWAIT);
    }
}
