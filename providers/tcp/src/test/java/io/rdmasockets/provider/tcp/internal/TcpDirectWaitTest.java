package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A platform thread blocked on a completion channel reads the sockets of the connections feeding it itself
 * ({@link DirectWait}), and whenever it stops waiting there without an event (interrupt, wakeup, timeout, a
 * stream stalled for a receive) the reactor reads again: a message then still arrives with nobody polling.
 *
 * <p>The poller grace is raised to a minute here: otherwise the reactor takes reading back 2 ms after the
 * last poll whatever the wait did, and no test could tell a missing hand-back.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpDirectWaitTest
{
    private static final long QUIET_MS = 300;
    private RcPair pair;
    private MemoryRegion src;
    private MemoryRegion dst;
    private int posted;

    @BeforeEach
    void connect() throws Exception
    {
        // Read when each connection's inbound side is made.
        System.setProperty(TcpConfiguration.POLLER_GRACE_PROP_NAME, Long.toString(TimeUnit.MINUTES.toMicros(1)));
        pair = RcPair.connect(new TcpVerbsProvider(), InetAddress.getLoopbackAddress(),
            PairSpec.defaults().queueDepth(16, 16));
        src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 5);
        dst = pair.server.register(64 * 16, Access.LOCAL_WRITE);
    }

    @AfterEach
    void close()
    {
        System.clearProperty(TcpConfiguration.POLLER_GRACE_PROP_NAME);
        pair.close();
    }

    private void postReceive()
    {
        pair.server.postReceive(posted, dst, (posted % 16) * 64L, 64);
        posted++;
    }

    private void send()
    {
        pair.client.post(0, WrOpcode.SEND, 0, src, 0, 64, 0, 0, 0);
    }

    private TcpConnection serverConnection()
    {
        return ((TcpQueuePair)pair.server.qp).connection();
    }

    private static CompletableFuture<CompletionQueue> waitOn(final CompletionChannel channel, final boolean virtual,
        final long timeoutMs, final Thread[] thread)
    {
        final CompletableFuture<CompletionQueue> result = new CompletableFuture<>();
        final Runnable wait = () ->
        {
            try
            {
                result.complete(channel.awaitEvent(timeoutMs, TimeUnit.MILLISECONDS));
            }
            catch (final Throwable t)
            {
                result.completeExceptionally(t);
            }
        };
        thread[0] = virtual ? Thread.ofVirtual().name("parked-waiter").start(wait) :
            Thread.ofPlatform().name("direct-waiter").daemon().start(wait);
        return result;
    }

    /**
     * Only the reactor can deliver to a virtual thread (it parks). Armed with plain {@code requestNotify},
     * which hands reading back itself: the normal way to block after polling.
     */
    private void assertReactorDelivers() throws Exception
    {
        postReceive();
        assertEquals(0, pair.server.recvCq.requestNotify(false));
        assertParkedWaiterGetsTheMessage();
    }

    /**
     * Proves that the direct wait that just ended handed reading back: armed with {@code requestNotifyBeforeAwait}
     * (no hand-back) on this platform thread, a parked virtual thread gets the message only if the reactor
     * reads again, and with the long grace nothing else makes it.
     */
    private void assertReadingWasHandedBack() throws Exception
    {
        postReceive();
        assertEquals(0, pair.server.recvCq.requestNotifyBeforeAwait(false));
        assertParkedWaiterGetsTheMessage();
    }

    private void assertParkedWaiterGetsTheMessage() throws Exception
    {
        final Thread[] t = new Thread[1];
        final CompletableFuture<CompletionQueue> parked = waitOn(pair.server.completionChannel, true, -1, t);
        Thread.sleep(QUIET_MS);
        send();
        assertSame(pair.server.recvCq, parked.get(10, TimeUnit.SECONDS), "the reactor read the message");
        pair.server.recvCq.acknowledgeEvents(1);
        pair.server.awaitRecvCompletion();
    }

    /** Arms the receive queue and starts a platform thread waiting on the channel with no limit. */
    private CompletableFuture<CompletionQueue> blockDirectWaiter(final Thread[] thread) throws Exception
    {
        return blockDirectWaiter(thread, -1);
    }

    /** ... or for {@code timeoutMs} (more than {@link #QUIET_MS}); asserts that it reads the socket. */
    private CompletableFuture<CompletionQueue> blockDirectWaiter(final Thread[] thread, final long timeoutMs)
        throws Exception
    {
        assertEquals(0, pair.server.recvCq.requestNotifyBeforeAwait(false));
        final CompletableFuture<CompletionQueue> waiter =
            waitOn(pair.server.completionChannel, false, timeoutMs, thread);
        Thread.sleep(QUIET_MS);
        assertFalse(waiter.isDone(), "blocked until the message");
        assertTrue(serverConnection().inbound().describe().contains("poller=direct-waiter"),
            "the waiter took reading: " + serverConnection().inbound().describe());
        return waiter;
    }

    @Test
    void shouldReadTheMessageOnTheBlockedThread() throws Exception
    {
        for (int i = 0; i < 3; i++)
        {
            postReceive();
            final CompletableFuture<CompletionQueue> waiter = blockDirectWaiter(new Thread[1]);
            send();
            assertSame(pair.server.recvCq, waiter.get(10, TimeUnit.SECONDS));
            final String inbound = serverConnection().inbound().describe();
            assertTrue(inbound.contains("poller=direct-waiter"), "the waiter read the socket itself: " + inbound);
            pair.server.recvCq.acknowledgeEvents(1);
            pair.server.awaitRecvCompletion();
        }
        assertReactorDelivers();
    }

    @Test
    void shouldHandReadingBackWhenInterrupted() throws Exception
    {
        final Thread[] t = new Thread[1];
        final CompletableFuture<CompletionQueue> waiter = blockDirectWaiter(t);
        t[0].interrupt();
        final ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(5, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertReadingWasHandedBack();
    }

    @Test
    void shouldHandReadingBackWhenWokenOrTimedOut() throws Exception
    {
        final Thread[] t = new Thread[1];
        final CompletableFuture<CompletionQueue> woken = blockDirectWaiter(t);
        pair.server.completionChannel.wakeup();
        assertNull(woken.get(5, TimeUnit.SECONDS), "a wakeup ends the wait");
        assertReadingWasHandedBack();

        final long start = System.nanoTime();
        final CompletableFuture<CompletionQueue> timed = blockDirectWaiter(t, 3 * QUIET_MS);
        assertNull(timed.get(5, TimeUnit.SECONDS), "timed out");
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(3 * QUIET_MS - 50), "waited its timeout");
        assertReadingWasHandedBack();
    }

    /** A blocked wait that reads the socket itself allocates nothing per message in steady state. */
    @Test
    void shouldNotAllocatePerBlockedWait() throws Exception
    {
        final int warmup = 5_000;
        final int measured = 5_000;
        final ReceiveWorkRequest rwr = new ReceiveWorkRequest(1);
        final SendWorkRequest swr = new SendWorkRequest(1);
        final CompletionChannel channel = pair.server.completionChannel;
        final CompletionQueue cq = pair.server.recvCq;
        final long[] allocated = new long[1];
        final CompletableFuture<Void> server = CompletableFuture.runAsync(() ->
        {
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
            long before = 0;
            try
            {
                for (int i = 0; i < warmup + measured; i++)
                {
                    if (warmup == i)
                    {
                        before = threads.getCurrentThreadAllocatedBytes();
                    }
                    rwr.reset().wrId(i).sgl().add(dst, (i % 16) * 64L, 64);
                    assertEquals(0, pair.server.qp.postReceive(rwr));
                    int n;
                    while (0 == (n = cq.poll(pair.server.wc)))
                    {
                        assertEquals(0, cq.requestNotifyBeforeAwait(false));
                        if (0 != (n = cq.poll(pair.server.wc)))
                        {
                            break;
                        }
                        if (cq == channel.awaitEvent(10, TimeUnit.SECONDS))
                        {
                            cq.acknowledgeEvents(1);
                        }
                    }
                    assertEquals(1, n, "one receive completion");
                }
                allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        }, r -> Thread.ofPlatform().name("direct-waiter").daemon().start(r));
        for (int i = 0; i < warmup + measured && !server.isDone(); i++)
        {
            // Paced by the send queue: wait for each send's completion (the server may not have posted yet:
            // the send then waits out an RNR retry at the server, which the stall path handles).
            swr.reset().wrId(i).opcode(WrOpcode.SEND).flags(io.rdmasockets.verbs.SendFlags.SIGNALED)
                .sgl().add(src, 0, 64);
            assertEquals(0, pair.client.qp.postSend(swr));
            pair.client.awaitSendCompletion();
        }
        server.get(30, TimeUnit.SECONDS);
        assertTrue(allocated[0] < 16 * 1024, measured + " blocked waits allocated " + allocated[0] + " bytes");
        final String inbound = serverConnection().inbound().describe();
        assertTrue(inbound.contains("poller=direct-waiter"), inbound);
    }

    @Test
    void shouldLeaveAStreamStalledForAReceiveToTheReactor() throws Exception
    {
        // No receive posted: the send waits at the server (RNR, retried for ever), the stream stalls.
        assertEquals(0, pair.server.recvCq.requestNotifyBeforeAwait(false));
        final Thread[] t = new Thread[1];
        final CompletableFuture<CompletionQueue> waiter = waitOn(pair.server.completionChannel, false, -1, t);
        send();
        Thread.sleep(QUIET_MS);
        assertFalse(waiter.isDone(), "nothing completes without a receive");
        postReceive();
        assertSame(pair.server.recvCq, waiter.get(10, TimeUnit.SECONDS), "the receive unstalls the stream");
        pair.server.recvCq.acknowledgeEvents(1);
        pair.server.awaitRecvCompletion();
        assertReactorDelivers();
    }
}
