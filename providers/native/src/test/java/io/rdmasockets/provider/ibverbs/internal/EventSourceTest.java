package io.rdmasockets.provider.ibverbs.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The channels' waiting machinery over a real descriptor (an eventfd, so it runs on any Linux machine):
 * waits park in Java until the poller reports the descriptor readable, time out, are woken, interrupted
 * and released by close; the listener runs on the poller thread on each new readiness and on wakeup.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EventSourceTest
{
    private static final Long EVENT = 42L;

    private EventFd fd;
    private EventSource<Long> source;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws Exception
    {
        fd = new EventFd();
        source = new EventSource<>("test eventfd", fd.fd, () -> fd.take() ? EVENT : null, false);
    }

    @AfterEach
    void close()
    {
        source.close();
        fd.close();
        threads.shutdownNow();
    }

    private CompletableFuture<Long> waitAsync(final long timeoutMs)
    {
        return CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return source.await(timeoutMs, TimeUnit.MILLISECONDS);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        }, threads);
    }

    @Test
    void shouldTakeAnEventThatIsAlreadyThereAtOnce() throws Exception
    {
        fd.signal(1);
        assertTrue(source.hasEvent());
        assertEquals(EVENT, source.await(0, TimeUnit.SECONDS));
        assertFalse(source.hasEvent(), "the take consumed it");
        assertNull(source.await(0, TimeUnit.SECONDS));
    }

    @Test
    void shouldWakeABlockedWaiterWhenTheDescriptorBecomesReadable() throws Exception
    {
        final CompletableFuture<Long> waiter = waitAsync(-1);
        Thread.sleep(200);
        assertFalse(waiter.isDone(), "no event: the waiter blocks");
        fd.signal(1);
        assertEquals(EVENT, waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldReturnNullAfterTheTimeout() throws Exception
    {
        final long start = System.nanoTime();
        assertNull(source.await(200, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(190), "waited the timeout");
    }

    @Test
    void shouldKeepAWakeupUntilOneWaitConsumesIt() throws Exception
    {
        source.wakeup();
        final long start = System.nanoTime();
        assertNull(source.await(10, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "a pending wakeup returns at once");
        final long second = System.nanoTime();
        assertNull(source.await(200, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - second >= TimeUnit.MILLISECONDS.toNanos(190), "consumed once");
    }

    @Test
    void shouldWakeABlockedWaiter() throws Exception
    {
        final CompletableFuture<Long> waiter = waitAsync(-1);
        Thread.sleep(200);
        source.wakeup();
        assertNull(waiter.get(5, TimeUnit.SECONDS));
    }

    @Test
    void shouldReleaseWaitersOnClose() throws Exception
    {
        final List<CompletableFuture<Long>> waiters = new ArrayList<>();
        for (int i = 0; i < 3; i++)
        {
            waiters.add(waitAsync(-1));
        }
        Thread.sleep(200);
        source.close();
        for (final CompletableFuture<Long> w : waiters)
        {
            assertNull(w.get(5, TimeUnit.SECONDS));
        }
        assertFalse(source.hasEvent());
        fd.signal(1);
        assertNull(source.await(0, TimeUnit.SECONDS), "a closed source takes nothing");
    }

    @Test
    void shouldThrowWhenTheWaitingThreadIsInterrupted() throws Exception
    {
        final AtomicReference<Throwable> thrown = new AtomicReference<>();
        final CountDownLatch waiting = new CountDownLatch(1);
        final Thread t = Thread.ofPlatform().start(() ->
        {
            waiting.countDown();
            try
            {
                source.await(-1, TimeUnit.SECONDS);
            }
            catch (final Throwable e)
            {
                thrown.set(e);
            }
        });
        waiting.await();
        Thread.sleep(200);
        t.interrupt();
        t.join(5000);
        assertFalse(t.isAlive());
        assertInstanceOf(InterruptedException.class, thrown.get());
    }

    @Test
    void shouldRunTheListenerOnThePollerThreadForEachNewEventAndOnWakeup() throws Exception
    {
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<String> thread = new AtomicReference<>();
        source.listener(() ->
        {
            thread.set(Thread.currentThread().getName());
            calls.incrementAndGet();
        });
        fd.signal(1);
        awaitTrue(() -> calls.get() >= 1, "the listener runs when the descriptor becomes readable");
        assertEquals("rdmasockets-native-poller", thread.get());
        assertEquals(EVENT, source.await(0, TimeUnit.SECONDS));
        final int afterFirst = calls.get();
        fd.signal(1);
        awaitTrue(() -> calls.get() > afterFirst, "re-armed after the take: the next event runs it again");
        assertEquals(EVENT, source.await(0, TimeUnit.SECONDS));
        final int afterSecond = calls.get();
        source.wakeup();
        assertTrue(calls.get() > afterSecond, "a wakeup runs the listener");
        assertNull(source.await(0, TimeUnit.SECONDS), "consume the wakeup");
        source.listener(null);
        final int removed = calls.get();
        fd.signal(1);
        Thread.sleep(300);
        assertEquals(removed, calls.get(), "a removed listener is not called");
    }

    @Test
    void shouldDeliverEveryEventOnceToManyConcurrentWaiters() throws Exception
    {
        final int waiters = 4;
        final int events = 2000;
        final AtomicInteger taken = new AtomicInteger();
        final List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < waiters; i++)
        {
            all.add(CompletableFuture.runAsync(() ->
            {
                try
                {
                    while (taken.get() < events)
                    {
                        if (null != source.await(50, TimeUnit.MILLISECONDS))
                        {
                            taken.incrementAndGet();
                        }
                    }
                }
                catch (final InterruptedException e)
                {
                    throw new AssertionError(e);
                }
            }, threads));
        }
        for (int i = 0; i < events; i++)
        {
            fd.signal(1);
        }
        for (final CompletableFuture<Void> f : all)
        {
            f.get(20, TimeUnit.SECONDS);
        }
        assertEquals(events, taken.get());
        assertNull(source.await(0, TimeUnit.SECONDS), "nothing left over");
    }

    @Test
    void shouldTakeEveryEventOnThePollerThreadInEagerMode() throws Exception
    {
        try (EventFd eagerFd = new EventFd())
        {
            final AtomicInteger takes = new AtomicInteger();
            final EventSource<Long> eager = new EventSource<>("eager eventfd", eagerFd.fd, () ->
            {
                if (!eagerFd.take())
                {
                    return null;
                }
                return (long)takes.incrementAndGet();
            }, true);
            try
            {
                final AtomicInteger calls = new AtomicInteger();
                eager.listener(calls::incrementAndGet);
                eagerFd.signal(3);
                awaitTrue(() -> 3 == takes.get(), "the poller takes events nobody waits for");
                awaitTrue(() -> 1 == calls.get(), "the listener runs when the queue stops being empty");
                assertTrue(eager.hasEvent());
                assertEquals(List.of(2L), eager.removeQueued(e -> 2L == e));
                assertEquals(1L, eager.await(0, TimeUnit.SECONDS));
                eagerFd.signal(1);
                awaitTrue(() -> 4 == takes.get(), "the descriptor stays armed");
                Thread.sleep(100);
                assertEquals(1, calls.get(), "the queue never emptied: no new call");
                assertEquals(3L, eager.await(0, TimeUnit.SECONDS));
                assertEquals(4L, eager.await(5, TimeUnit.SECONDS));
                assertFalse(eager.hasEvent());
                final CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() ->
                {
                    try
                    {
                        return eager.await(-1, TimeUnit.SECONDS);
                    }
                    catch (final InterruptedException e)
                    {
                        throw new AssertionError(e);
                    }
                }, threads);
                Thread.sleep(100);
                eagerFd.signal(2);
                assertEquals(5L, waiter.get(5, TimeUnit.SECONDS));
                awaitTrue(() -> 6 == takes.get(), "both taken");
                assertEquals(List.of(6L), eager.close(), "close hands back what nobody took");
            }
            finally
            {
                eager.close();
            }
        }
    }

    private static void awaitTrue(final java.util.function.BooleanSupplier condition, final String what)
        throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean())
        {
            assertTrue(System.nanoTime() < deadline, what);
            Thread.sleep(5);
        }
    }
}
