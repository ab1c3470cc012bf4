package io.rdmasockets.tools.stream;

import io.rdmasockets.common.Errno;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.tools.Units;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One side of rstream (C's {@code examples/rstream.c}, wire-protocol doc section 8.1), step for step so
 * that a Java and a C peer run one test together and their tables compare line by line: the same runs
 * (a latency connection with RDMA_INLINE {@code -i}, then a bandwidth connection with RDMA_INLINE 0; or one
 * custom test), the same 16-byte sync exchange before each test, the same transfer loop (the client sends
 * {@code count} transfers, then the server sends {@code count} back), the same table.
 *
 * <p>With {@link RstreamSettings#iostream} it is riostream ({@code examples/riostream.c}, section 8.2) instead:
 * the same runs and table, but each test maps the buffer's first {@code size} bytes ({@code riomap} at offset
 * 0), the sync exchange publishes the mappings, transfers are {@code riowrite}s into the peer's buffer at the
 * transfer's own offsets, and a side waits for the peer's last transfer by spinning on its buffer's last
 * byte, which carries a marker counting up; there are no receive calls. Unlike C the spin polls the socket
 * ({@code rpoll} with no wait) each time round: a provider that places data in software places it on the
 * spinning thread then, not on a third busy thread of its own, and a peer that disconnects ends the wait at
 * once ({@code RdmaIomap.progress} is the same for applications). With {@code -T v} the last
 * transfer of each iteration carries C's pattern in all but its last byte.
 *
 * <p>Unlike C, a failure ends the run with a {@link ToolException} (C carries on with the next size, or
 * spins forever on an end of stream), and waits for the peer are bounded by the settings' timeout.
 * The timed loop allocates nothing.
 *
 * <p><b>Note:</b> one thread runs a side; run the other side on another thread or in another process.
 */
public final class Rstream
{
    private static final int SYNC_SIZE = 16;
    private static final int STALL_CHECK_MASK = 0x3FF;
    /** riostream's poll byte is written by the peer's device: read it with volatile semantics. */
    private static final VarHandle BYTE = ValueLayout.JAVA_BYTE.varHandle();

    private final RstreamSettings s;
    private final boolean client;
    private final boolean nonblocking;
    private final long timeoutNs;
    private final VerifyPattern pattern = new VerifyPattern();
    private final List<RstreamResult> results = new ArrayList<>();
    private MemorySegment buffer;
    private Connection conn;
    private int spins;
    private long stalledSinceNs;

    /** @param settings what to run; read when {@link #run()} starts. */
    public Rstream(final RstreamSettings settings)
    {
        this.s = settings;
        this.client = settings.isClient();
        this.nonblocking = settings.nonblocking();
        this.timeoutNs = settings.timeout.toNanos();
    }

    /**
     * Runs this side: listens (server) or connects (client), prints the header and a row per test.
     *
     * @return the tests' results, in order.
     * @throws ToolException on any failure, with what failed and why.
     */
    public List<RstreamResult> run()
    {
        if (s.async && !nonblocking)
        {
            throw new ToolException("-T a with -T b (rpoll waiting without a time limit) is not available yet; " +
                "-T a alone polls without waiting, as rstream does");
        }
        final InetSocketAddress local = null == s.bind ? client ? null : new InetSocketAddress(s.port) :
            address(s.bind);
        // Shared: riostream registers the buffer, which the provider's threads then reach.
        try (Arena arena = Arena.ofShared();
             Transport.Listener listener = client ? null : listen(local))
        {
            buffer = arena.allocate(s.custom ? s.transferSize : TestSizes.MAX_SIZE, 64);
            if (null != listener && null != s.onListening)
            {
                s.onListening.accept(listener.port());
            }
            s.out.println(Units.rstreamHeader());
            s.out.flush();
            try
            {
                runAll(listener, local);
            }
            finally
            {
                disconnect();
            }
            return List.copyOf(results);
        }
    }

    /** C's run: one custom test, or the latency sizes on one connection and the bandwidth sizes on another. */
    private void runAll(final Transport.Listener listener, final InetSocketAddress local)
    {
        if (s.custom)
        {
            connect(listener, local, -1, true);
            runTest("custom", s.transferSize, s.transferCount, s.iterations);
            return;
        }
        connect(listener, local, s.inlineSize, true);
        for (int i = 0; i < TestSizes.SIZES.length; i++)
        {
            if (included(i))
            {
                final int size = TestSizes.SIZES[i];
                runTest(Units.sizeStr(size) + "_lat", size, 1, scaled(TestSizes.sizeToCount(size)));
            }
        }
        disconnect();
        connect(listener, local, 0, false);
        for (int i = 0; i < TestSizes.SIZES.length; i++)
        {
            if (included(i))
            {
                final int size = TestSizes.SIZES[i];
                runTest(Units.sizeStr(size) + "_bw", size, scaled(TestSizes.sizeToCount(size)), 1);
            }
        }
    }

    private boolean included(final int i)
    {
        return TestSizes.OPTIONS[i] <= (s.allSizes ? 1 : 0);
    }

    private int scaled(final int count)
    {
        return Math.max(1, count / s.countDivisor);
    }

    private Transport.Listener listen(final InetSocketAddress local)
    {
        try
        {
            return s.transport.listen(local);
        }
        catch (final IOException e)
        {
            throw new ToolException(e.getMessage(), e);
        }
    }

    /** C's client_connect / server_connect, with set_options: {@code inline} -1 keeps the default. */
    private void connect(final Transport.Listener listener, final InetSocketAddress local, final int inline,
        final boolean first)
    {
        final long timeoutMs = Math.max(1, s.timeout.toMillis());
        final Transport.Options options = new Transport.Options(s.bufferSize, nonblocking, inline, s.keepaliveSeconds,
            (int)Math.min(timeoutMs, Integer.MAX_VALUE));
        try
        {
            printKeepalive();
            if (client)
            {
                conn = s.transport.connect(address(s.server), local, options, timeoutMs);
            }
            else
            {
                conn = listener.accept(options, first && s.waitForFirstClient ? 0 : timeoutMs);
                printKeepalive();
            }
        }
        catch (final IOException e)
        {
            throw new ToolException(e.getMessage(), e);
        }
    }

    /** What C's set_keepalive prints for every socket it sets options on. */
    private void printKeepalive()
    {
        if (s.keepaliveSeconds > 0)
        {
            s.out.printf(Locale.ROOT, "Keepalive: ON%n  time: %d%n", s.keepaliveSeconds);
            s.out.flush();
        }
    }

    private void disconnect()
    {
        if (null != conn)
        {
            conn.shutdown();
            conn.close();
            conn = null;
        }
    }

    private InetSocketAddress address(final String host)
    {
        try
        {
            return new InetSocketAddress(s.numericHost ? InetAddress.ofLiteral(host) : InetAddress.getByName(host),
                s.port);
        }
        catch (final IllegalArgumentException e)
        {
            throw new ToolException("getaddrinfo: '" + host + "' is not a numeric address (-f ip)", e);
        }
        catch (final UnknownHostException e)
        {
            throw new ToolException("getaddrinfo: " + host + ": unknown host", e);
        }
    }

    /** C's run_test: the sync exchange, then the timed loop, then the row. */
    private void runTest(final String name, final int size, final int count, final int iterations)
    {
        if (s.iostream)
        {
            runIoTest(name, size, count, iterations);
            return;
        }
        syncTest();
        final long start = System.nanoTime();
        for (int i = 0; i < iterations; i++)
        {
            final long iterationStart = null == s.roundTrips ? 0 : System.nanoTime();
            for (int t = 0; t < count; t++)
            {
                transfer(client, size, s.verify);
            }
            for (int t = 0; t < count; t++)
            {
                transfer(!client, size, s.verify);
            }
            if (null != s.roundTrips)
            {
                s.roundTrips.recordValue(System.nanoTime() - iterationStart);
            }
        }
        final RstreamResult result = new RstreamResult(name, size, count, iterations, System.nanoTime() - start);
        results.add(result);
        s.out.println(result.row());
        s.out.flush();
    }

    private void syncTest()
    {
        transfer(client, SYNC_SIZE, s.verify);
        transfer(!client, SYNC_SIZE, s.verify);
    }

    /** riostream's run_test: map, sync (which publishes the mapping), the timed loop, the row, unmap. */
    private void runIoTest(final String name, final int size, final int count, final int iterations)
    {
        if (!(conn instanceof IoConnection io))
        {
            throw new ToolException("riostream needs rsockets: " + s.transport.name() + " has no riomap");
        }
        final MemorySegment mapped = buffer.asSlice(0, size);
        BYTE.setVolatile(buffer, (long)size - 1, (byte)-1);
        final long offset = io.riomap(mapped, 0);
        if (offset < 0)
        {
            throw new ToolException("riomap: " + conn.describe((int)offset));
        }
        // The sync messages carry no pattern in riostream.
        transfer(client, SYNC_SIZE, false);
        transfer(!client, SYNC_SIZE, false);
        byte marker = 0;
        final long start = System.nanoTime();
        for (int i = 0; i < iterations; i++)
        {
            if (!client)
            {
                awaitMarker(size, marker++);
            }
            for (int t = 0; t < count - 1; t++)
            {
                ioWrite(io, size);
            }
            BYTE.setVolatile(buffer, (long)size - 1, marker++);
            if (s.verify)
            {
                pattern.fill(buffer, size - 1);
            }
            ioWrite(io, size);
            if (client)
            {
                awaitMarker(size, marker++);
            }
        }
        final RstreamResult result = new RstreamResult(name, size, count, iterations, System.nanoTime() - start);
        results.add(result);
        s.out.println(result.row());
        s.out.flush();
        final int rc = io.riounmap(mapped);
        if (rc < 0)
        {
            throw new ToolException("riounmap: " + conn.describe(rc));
        }
    }

    /** riostream's send_xfer: riowrite the buffer's first {@code size} bytes to the same offsets of the peer's. */
    private void ioWrite(final IoConnection io, final int size)
    {
        for (long offset = 0; offset < size; )
        {
            if (s.async)
            {
                awaitReady(Connection.POLLOUT);
            }
            final long ret = io.riowrite(buffer, offset, size - offset, offset, s.flags);
            if (ret > 0)
            {
                offset += ret;
                stalledSinceNs = 0;
            }
            else
            {
                retryOrFail("riowrite", (int)ret);
            }
        }
    }

    /** riostream's recv_xfer: spin until the peer's last transfer has put {@code marker} in the last byte. */
    private void awaitMarker(final int size, final byte marker)
    {
        while (marker != (byte)BYTE.getVolatile(buffer, (long)size - 1))
        {
            if (0 != (conn.poll(Connection.POLLIN) & (Connection.POLLERR | Connection.POLLHUP)) &&
                marker != (byte)BYTE.getVolatile(buffer, (long)size - 1))
            {
                throw new ToolException("waiting for the peer's riowrite: the connection " +
                    (0 != (conn.poll(0) & Connection.POLLHUP) ? "was closed by the peer" : "failed"));
            }
            spun("waiting for the peer's riowrite");
        }
        stalledSinceNs = 0;
        if (s.verify)
        {
            final long bad = pattern.check(buffer, size - 1);
            if (bad >= 0)
            {
                throw new ToolException("data verification failed byte " + bad);
            }
        }
    }

    private void transfer(final boolean send, final int size, final boolean verify)
    {
        if (send)
        {
            sendXfer(size, verify);
        }
        else
        {
            recvXfer(size, verify);
        }
    }

    private void sendXfer(final int size, final boolean verify)
    {
        if (verify)
        {
            pattern.fill(buffer, size);
        }
        for (int offset = 0; offset < size; )
        {
            if (s.async)
            {
                awaitReady(Connection.POLLOUT);
            }
            final int ret = conn.send(buffer, offset, size - offset, s.flags);
            if (ret > 0)
            {
                offset += ret;
                stalledSinceNs = 0;
            }
            else
            {
                retryOrFail("rsend", ret);
            }
        }
    }

    private void recvXfer(final int size, final boolean verify)
    {
        for (int offset = 0; offset < size; )
        {
            if (s.async)
            {
                awaitReady(Connection.POLLIN);
            }
            final int ret = conn.recv(buffer, offset, size - offset, s.flags);
            if (ret > 0)
            {
                offset += ret;
                stalledSinceNs = 0;
            }
            else if (0 == ret)
            {
                throw new ToolException("rrecv: the peer closed the connection");
            }
            else
            {
                retryOrFail("rrecv", ret);
            }
        }
        if (verify)
        {
            final long bad = pattern.check(buffer, size);
            if (bad >= 0)
            {
                throw new ToolException("data verification failed byte " + bad);
            }
        }
    }

    /**
     * C's do_poll with timeout 0: poll until something is ready. C fails on POLLHUP/POLLERR even when the
     * data asked for is there too, which races with the peer's shutdown after its last transfer; here the
     * call goes ahead whenever what it needs is ready, and its own result decides.
     */
    private void awaitReady(final int events)
    {
        int revents;
        while (0 == (revents = conn.poll(events)))
        {
            spun("rpoll");
        }
        if (0 == (revents & events))
        {
            throw new ToolException("rpoll: " + (0 != (revents & Connection.POLLHUP) ?
                "POLLHUP: the peer disconnected" : "POLLERR: the connection failed"));
        }
    }

    /** EAGAIN: go round again (nonblocking), or a blocking receive's time limit passed; anything else fails. */
    private void retryOrFail(final String call, final int ret)
    {
        if (-Errno.EAGAIN.code() != ret)
        {
            throw new ToolException(call + ": " + conn.describe(ret));
        }
        if (!nonblocking)
        {
            throw new ToolException(call + ": no data for " + Units.durationStr(s.timeout) + ": the peer stopped");
        }
        spun(call);
    }

    /** Every so often, a busy loop checks that the peer still moves: a stopped peer must not hang us. */
    private void spun(final String call)
    {
        s.idle.idle();
        if (0 != (++spins & STALL_CHECK_MASK))
        {
            return;
        }
        final long now = System.nanoTime();
        if (0 == stalledSinceNs)
        {
            stalledSinceNs = now;
        }
        else if (now - stalledSinceNs > timeoutNs)
        {
            throw new ToolException(call + ": no progress for " + Units.durationStr(s.timeout) + ": the peer stopped");
        }
    }
}
