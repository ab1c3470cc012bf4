package io.rdmasockets.testsuite.nio;

import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fixtures of the selector suites: everything is opened through {@link #provider()} only (never
 * {@code SocketChannel.open()}, which would use the system-wide provider), tracked and closed after each
 * test, and blocking work runs on this class's own platform threads.
 */
public abstract class AbstractSelectorTest
{
    /** How long a selection operation must stay blocked to count as "blocked". */
    protected static final long BLOCKED_MS = 300;
    /** The deadline of anything that should happen promptly. */
    protected static final long PROMPT_S = 10;

    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    // Own platform threads: the common pool has one worker on two cores.
    private final ExecutorService threads = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "selector-test");
        t.setDaemon(true);
        return t;
    });

    /** @return the provider under test: every selector and channel of the suite comes from it. */
    protected abstract SelectorProvider provider();

    /**
     * @return the local address that listeners and datagram channels bind to (port 0 for an ephemeral
     *         port); a provider that routes some addresses differently overrides it to test those routes.
     */
    protected InetSocketAddress listenAddress()
    {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    final void closeOpened() throws Exception
    {
        threads.shutdownNow();
        Exception first = null;
        while (!opened.isEmpty())
        {
            try
            {
                opened.pop().close();
            }
            catch (final Exception e)
            {
                first = null == first ? e : first;
            }
        }
        assertTrue(threads.awaitTermination(PROMPT_S, TimeUnit.SECONDS), "test threads ended");
        if (null != first)
        {
            throw first;
        }
    }

    /**
     * @param closeable something to close after the test (closed in reverse order of tracking).
     * @param <T>       its type.
     * @return it.
     */
    protected final <T extends AutoCloseable> T track(final T closeable)
    {
        opened.push(closeable);
        return closeable;
    }

    /** @return a new selector of the provider. */
    protected final Selector openSelector() throws IOException
    {
        return track(provider().openSelector());
    }

    /** @return a new pipe of the provider whose two ends are closed after the test. */
    protected final Pipe openPipe() throws IOException
    {
        final Pipe pipe = provider().openPipe();
        track(pipe.sink());
        track(pipe.source());
        return pipe;
    }

    /** @return a server socket channel of the provider bound to {@link #listenAddress()}, blocking. */
    protected final ServerSocketChannel listen() throws IOException
    {
        final ServerSocketChannel server = track(provider().openServerSocketChannel());
        server.bind(listenAddress());
        return server;
    }

    /** @return the address a client connects to for this listener. */
    protected static InetSocketAddress connectAddress(final ServerSocketChannel server) throws IOException
    {
        return (InetSocketAddress)server.getLocalAddress();
    }

    /**
     * A connected TCP pair over the provider, both sides non-blocking.
     *
     * @param client the connecting side.
     * @param server the accepted side.
     */
    protected record Pair(SocketChannel client, SocketChannel server)
    {
    }

    /** @return a connected, non-blocking pair on a new listener. */
    protected final Pair connectedPair() throws IOException
    {
        final ServerSocketChannel listener = listen();
        final SocketChannel client = track(provider().openSocketChannel());
        assertTrue(client.connect(connectAddress(listener)), "blocking connect");
        final SocketChannel server = track(listener.accept());
        assertNotNull(server);
        client.configureBlocking(false);
        server.configureBlocking(false);
        return new Pair(client, server);
    }

    /**
     * @param task blocking work.
     * @param <T>  its result.
     * @return its future, run on a platform thread of the test.
     */
    protected final <T> Future<T> async(final Callable<T> task)
    {
        return threads.submit(task);
    }

    /** Asserts that the future stays undone for {@link #BLOCKED_MS}, i.e. its thread is blocked. */
    protected static void assertBlocked(final Future<?> future) throws Exception
    {
        assertThrows(TimeoutException.class, () -> future.get(BLOCKED_MS, TimeUnit.MILLISECONDS),
            "still blocked after " + BLOCKED_MS + " ms");
    }

    /** @return the future's value, which must come within {@link #PROMPT_S}. */
    protected static <T> T promptly(final Future<T> future) throws Exception
    {
        return future.get(PROMPT_S, TimeUnit.SECONDS);
    }

    /**
     * Selects until the key is selected with all of the given ready operations, with a deadline.
     *
     * @param selector the selector.
     * @param key      the key.
     * @param ops      the operations the key must be ready for.
     */
    protected static void awaitReady(final Selector selector, final SelectionKey key, final int ops)
        throws IOException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROMPT_S);
        while (true)
        {
            selector.select(100);
            if (selector.selectedKeys().contains(key) && (key.readyOps() & ops) == ops)
            {
                return;
            }
            if (System.nanoTime() - deadline > 0)
            {
                fail("not ready for " + ops + " within " + PROMPT_S + " s; ready " +
                    (key.isValid() ? key.readyOps() : -1));
            }
        }
    }

    /** Registers the channel, non-blocking, with the selector. */
    protected static SelectionKey register(final SelectableChannel channel, final Selector selector, final int ops)
        throws IOException
    {
        channel.configureBlocking(false);
        return channel.register(selector, ops);
    }

    /** @return the bytes as a buffer ready to write. */
    protected static ByteBuffer bytes(final String text)
    {
        return ByteBuffer.wrap(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Asserts that a select of this long returned within a plausible window: it waited its timeout. */
    protected static void assertWaited(final long startNs, final long timeoutMs)
    {
        final long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        assertTrue(ms >= timeoutMs - 20, "returned after " + ms + " ms, before its " + timeoutMs + " ms timeout");
    }

    /** Asserts that the key's selector reports exactly these ready operations for it. */
    protected static void assertReadyOps(final int expected, final SelectionKey key)
    {
        assertEquals(expected, key.readyOps(), "ready ops of " + key.channel());
    }
}
