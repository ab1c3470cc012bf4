package io.rdmasockets.nio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What a selector costs: {@link Selector#selectNow(Consumer)} over ready rsockets and kernel sockets allocates
 * nothing in steady state, as the JDK's own selector (a hot loop of an event-driven server); a select over
 * idle rsockets sleeps instead of polling them.
 */
@Timeout(60)
class SelectorCostTest
{
    private static final InetAddress RSOCKET_HOST = InetAddress.getLoopbackAddress();
    private static final InetSocketAddress KERNEL_HOST = new InetSocketAddress("127.0.0.2", 0);

    private final RdmaSelectorProvider provider = new RdmaSelectorProvider(
        (operation, address) -> address.getAddress().equals(RSOCKET_HOST));
    private final Closeables closeables = new Closeables();
    private long seen;

    @AfterEach
    void close() throws Exception
    {
        closeables.close();
    }

    private <T extends AutoCloseable> T track(final T c)
    {
        return closeables.track(c);
    }

    /** @return the accepted end, with a byte waiting in it (so it stays readable). */
    private SocketChannel readablePair(final InetSocketAddress at) throws IOException
    {
        final ServerSocketChannel server = track(provider.openServerSocketChannel()).bind(at);
        final SocketChannel client = track(provider.openSocketChannel());
        client.connect(server.getLocalAddress());
        final SocketChannel accepted = track(server.accept());
        client.write(ByteBuffer.wrap(new byte[] {1}));
        accepted.configureBlocking(false);
        return accepted;
    }

    @Test
    void shouldSelectWithAnActionWithoutAllocating() throws Exception
    {
        final Selector selector = track(provider.openSelector());
        final SocketChannel rsocket = readablePair(new InetSocketAddress(RSOCKET_HOST, 0));
        final SocketChannel kernel = readablePair(KERNEL_HOST);
        assertTrue(rsocket.toString().contains("rsocket"), rsocket.toString());
        assertTrue(kernel.toString().contains("kernel"), kernel.toString());
        rsocket.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        kernel.register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        final Consumer<SelectionKey> action = key -> seen += key.readyOps();
        // Until both are reported: the rsocket's byte may take a moment to arrive.
        final long deadline = System.nanoTime() + 10_000_000_000L;
        while (2 != selector.selectNow(action))
        {
            assertTrue(System.nanoTime() < deadline, "both keys ready");
        }
        for (int i = 0; i < 50_000; i++)
        {
            selector.selectNow(action);
        }
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().threadId();
        final int rounds = 100_000;
        int reported = 0;
        final long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < rounds; i++)
        {
            reported += selector.selectNow(action);
        }
        final long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertEquals(2 * rounds, reported, "both keys, every time");
        assertTrue(allocated < rounds / 10, "bytes allocated by " + rounds + " selects: " + allocated);
        assertTrue(seen > 0);
    }

    @Test
    void shouldSleepInASelectOverIdleRsockets() throws Exception
    {
        final Selector selector = track(provider.openSelector());
        final ServerSocketChannel server = track(provider.openServerSocketChannel())
            .bind(new InetSocketAddress(RSOCKET_HOST, 0));
        for (int i = 0; i < 20; i++)
        {
            final SocketChannel client = track(provider.openSocketChannel());
            client.connect(server.getLocalAddress());
            final SocketChannel accepted = track(server.accept());
            accepted.configureBlocking(false);
            client.configureBlocking(false);
            accepted.register(selector, SelectionKey.OP_READ);
            client.register(selector, SelectionKey.OP_READ);
        }
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        final SocketChannel kernel = readablePair(KERNEL_HOST);
        final ByteBuffer one = ByteBuffer.allocate(1);
        while (one.hasRemaining())
        {
            // Take the kernel pair's byte, so that it is idle too.
            assertTrue(kernel.read(one) >= 0);
        }
        kernel.register(selector, SelectionKey.OP_READ);
        assertEquals(0, selector.selectNow(), "nothing ready");
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long id = Thread.currentThread().threadId();
        final long cpuBefore = threads.getThreadCpuTime(id);
        final long start = System.nanoTime();
        final int ready = selector.select(1_500);
        final long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        final long cpuMs = (threads.getThreadCpuTime(id) - cpuBefore) / 1_000_000;
        assertEquals(0, ready);
        assertTrue(elapsedMs >= 1_400, "the select waited its time: " + elapsedMs + " ms");
        assertTrue(cpuMs < 150, "CPU used by a 1.5 s select over 41 idle keys: " + cpuMs + " ms");
    }
}
