package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.VerbsProvider;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/** A connected pair over the provider under test, and helpers the engine suites share. */
final class Pair implements AutoCloseable
{
    /**
     * C's defaults but a minute's {@code wake_up_interval}: the interval bounds every blocked wait as a
     * backstop, and at 500 ms it would rescue within a test's limit a wakeup the engine failed to send, so
     * a test of "close (or the peer) wakes a blocked call" could not fail.
     */
    static final RsocketConfig CONFIG = withoutWakeUpBackstop(RsocketConfig.defaults());

    /** Minutes, not a second: longer than any test's own limit for a wakeup. */
    static final int NO_BACKSTOP_WAKE_UP_INTERVAL_MS = 60_000;

    /** @return {@code c} with a {@code wake_up_interval} no test deadline reaches. */
    static RsocketConfig withoutWakeUpBackstop(final RsocketConfig c)
    {
        return new RsocketConfig(c.memDefault(), c.wmemDefault(), c.sqSizeDefault(), c.rqSizeDefault(),
            c.inlineDefault(), c.iomapSize(), c.pollingTimeUs(), NO_BACKSTOP_WAKE_UP_INTERVAL_MS, c.source(),
            c.problems());
    }

    final StreamRsocket listener;
    final StreamRsocket client;
    final StreamRsocket server;

    private Pair(final StreamRsocket listener, final StreamRsocket client, final StreamRsocket server)
    {
        this.listener = listener;
        this.client = client;
        this.server = server;
    }

    /** @param bufferSize ring sizes, or -1 for the defaults. @return a connected pair. */
    static Pair connect(final VerbsProvider provider, final int bufferSize) throws Exception
    {
        final StreamRsocket listener = listen(provider, bufferSize);
        final StreamRsocket client = StreamRsocket.open(provider, CONFIG);
        client.sizes(bufferSize, bufferSize, -1, -1, -1, -1);
        client.connect(addressOf(listener));
        return new Pair(listener, client, listener.accept());
    }

    static StreamRsocket listen(final VerbsProvider provider, final int bufferSize) throws Exception
    {
        final StreamRsocket listener = StreamRsocket.open(provider, CONFIG);
        listener.sizes(bufferSize, bufferSize, -1, -1, -1, -1);
        listener.bind(new InetSocketAddress(AbstractVerbsTest.testAddress(), 0));
        listener.listen(8);
        return listener;
    }

    static InetSocketAddress addressOf(final StreamRsocket listener)
    {
        return new InetSocketAddress(AbstractVerbsTest.testAddress(), listener.localAddress().getPort());
    }

    /** Waits up to {@code timeoutMs} for {@code condition}, without calling into any socket. */
    static boolean within(final long timeoutMs, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Sends one byte and reads it at the other end: the pair still works. */
    static void assertWorks(final StreamRsocket from, final StreamRsocket to)
    {
        final MemorySegment b = MemorySegment.ofArray(new byte[] {42});
        final int sent = from.send(b, 0, 1, 0);
        if (1 != sent)
        {
            throw new AssertionError("send: " + sent);
        }
        final MemorySegment r = MemorySegment.ofArray(new byte[1]);
        final int got = to.recv(r, 0, 1, 0);
        if (1 != got || 42 != r.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
        {
            throw new AssertionError("recv: " + (got < 0 ? Errno.nameOf(-got) : got));
        }
    }

    @Override
    public void close()
    {
        client.close();
        server.close();
        listener.close();
    }
}
