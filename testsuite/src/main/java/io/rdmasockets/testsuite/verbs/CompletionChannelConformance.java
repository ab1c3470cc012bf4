package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Completion channels with libibverbs semantics: one event per arm, solicited-only arming, timeouts,
 * wakeups that are never lost, the ready listener, and acknowledgement.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class CompletionChannelConformance extends AbstractVerbsTest
{
    static final long QUIET_MS = 300;

    private MemoryRegion src;
    private MemoryRegion dst;

    private RcPair pair() throws Exception
    {
        final RcPair pair = connectPair();
        src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 1);
        dst = pair.server.register(64 * 64, Access.LOCAL_WRITE);
        for (int i = 0; i < 64; i++)
        {
            pair.server.postReceive(i, dst, i * 64L, 64);
        }
        return pair;
    }

    private void send(final RcPair pair, final int flags)
    {
        pair.client.post(0, WrOpcode.SEND, flags, src, 0, 64, 0, 0, 0);
    }

    private static CompletionQueue take(final CompletionChannel channel, final long timeoutMs) throws Exception
    {
        return channel.awaitEvent(timeoutMs, TimeUnit.MILLISECONDS);
    }

    @Test
    public void shouldProduceExactlyOneEventPerArm() throws Exception
    {
        final RcPair pair = pair();
        final CompletionChannel channel = pair.server.completionChannel;
        assertEquals(0, pair.server.recvCq.requestNotify(false));
        send(pair, 0);
        send(pair, 0);
        send(pair, 0);
        assertSame(pair.server.recvCq, take(channel, 5000), "the armed queue fires");
        pair.server.recvCq.acknowledgeEvents(1);
        pair.server.awaitRecvCompletions(3);
        assertNull(take(channel, QUIET_MS), "three completions, one arm: one event");
        assertFalse(channel.hasEvent());

        assertEquals(0, pair.server.recvCq.requestNotify(false));
        send(pair, 0);
        assertSame(pair.server.recvCq, take(channel, 5000), "re-armed queue fires again");
        pair.server.recvCq.acknowledgeEvents(1);
        pair.server.awaitRecvCompletion();
    }

    @Test
    public void shouldNotFireWithoutArming() throws Exception
    {
        final RcPair pair = pair();
        send(pair, SendFlags.SOLICITED);
        pair.server.awaitRecvCompletion();
        assertNull(take(pair.server.completionChannel, QUIET_MS), "an unarmed queue fires nothing");
    }

    @Test
    public void shouldNotFireForCompletionsQueuedBeforeArming() throws Exception
    {
        final RcPair pair = pair();
        send(pair, SendFlags.SIGNALED);
        // The sender's completion means the receive completed: it is queued at the server now.
        pair.client.awaitSendCompletion();
        // Give the completion time to be queued, then arm: only new completions fire.
        Thread.sleep(50);
        assertEquals(0, pair.server.recvCq.requestNotify(false));
        assertNull(take(pair.server.completionChannel, QUIET_MS), "queued completion fires nothing");
        send(pair, 0);
        assertSame(pair.server.recvCq, take(pair.server.completionChannel, 5000), "a new completion fires");
        pair.server.recvCq.acknowledgeEvents(1);
        pair.server.awaitRecvCompletions(2);
    }

    @Test
    public void shouldFireSolicitedOnlyArmOnlyForSolicitedReceive() throws Exception
    {
        final RcPair pair = pair();
        assertEquals(0, pair.server.recvCq.requestNotify(true));
        send(pair, 0);
        pair.server.awaitRecvCompletion();
        assertNull(take(pair.server.completionChannel, QUIET_MS), "an unsolicited receive does not fire");
        send(pair, SendFlags.SOLICITED);
        assertSame(pair.server.recvCq, take(pair.server.completionChannel, 5000), "a solicited one does");
        pair.server.recvCq.acknowledgeEvents(1);
        pair.server.awaitRecvCompletion();
    }

    @Test
    public void shouldTellWhichQueueFired() throws Exception
    {
        final RcPair pair = pair();
        final CompletionChannel channel = pair.client.completionChannel;
        assertEquals(0, pair.client.sendCq.requestNotify(false));
        assertEquals(0, pair.client.recvCq.requestNotify(false));
        send(pair, SendFlags.SIGNALED);
        assertSame(pair.client.sendCq, take(channel, 5000), "the send queue fired");
        pair.client.sendCq.acknowledgeEvents(1);
        assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
        assertNull(take(channel, QUIET_MS), "the receive queue had nothing");
    }

    @Test
    public void shouldAcknowledgeSeveralEventsAtOnce() throws Exception
    {
        final RcPair pair = pair();
        for (int i = 0; i < 3; i++)
        {
            assertEquals(0, pair.server.recvCq.requestNotify(false));
            send(pair, 0);
            assertSame(pair.server.recvCq, take(pair.server.completionChannel, 5000), "event " + i);
            pair.server.awaitRecvCompletion();
        }
        // One call acknowledges all three; the queue then closes without waiting (at cleanup).
        pair.server.recvCq.acknowledgeEvents(3);
    }

    @Test
    public void shouldReturnNullAfterTimeout() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = closeAfter(ctx.createCompletionChannel());
        assertTimesOut(channel, 200);
        // Longer than one slice of a wait that looks for interrupts now and then: the slices add up.
        assertTimesOut(channel, 900);
        final long zeroStart = System.nanoTime();
        assertNull(channel.awaitEvent(0, TimeUnit.MILLISECONDS));
        assertTrue(System.nanoTime() - zeroStart < TimeUnit.SECONDS.toNanos(1), "timeout 0 returns at once");
    }

    @Test
    public void shouldWakeUpBlockedWaiter() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = closeAfter(ctx.createCompletionChannel());
        final CompletableFuture<CompletionQueue> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return channel.awaitEvent(-1, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(QUIET_MS);
        assertFalse(waiter.isDone(), "a waiter without timeout blocks");
        channel.wakeup();
        assertNull(waiter.get(5, TimeUnit.SECONDS), "woken waiter gets null");
    }

    private static void assertTimesOut(final CompletionChannel channel, final long timeoutMs) throws Exception
    {
        final long start = System.nanoTime();
        assertNull(take(channel, timeoutMs));
        final long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsedMs >= timeoutMs - 50 && elapsedMs < timeoutMs + 5000,
            "waited " + elapsedMs + " ms for a " + timeoutMs + " ms timeout");
    }

    /** Starts {@code awaitEvent(-1)} on a platform or a virtual thread (providers may wait differently). */
    private static CompletableFuture<CompletionQueue> waitForever(final CompletionChannel channel,
        final boolean virtual, final Thread[] thread)
    {
        final CompletableFuture<CompletionQueue> result = new CompletableFuture<>();
        final Runnable wait = () ->
        {
            try
            {
                result.complete(channel.awaitEvent(-1, TimeUnit.SECONDS));
            }
            catch (final Throwable t)
            {
                result.completeExceptionally(t);
            }
        };
        thread[0] = virtual ? Thread.ofVirtual().start(wait) : Thread.ofPlatform().daemon().start(wait);
        return result;
    }

    @Test
    public void shouldHandEventToWaiterBlockedBeforeIt() throws Exception
    {
        final RcPair pair = pair();
        final CompletionChannel channel = pair.server.completionChannel;
        for (final boolean virtual : new boolean[] {false, true})
        {
            assertEquals(0, pair.server.recvCq.requestNotify(false));
            final Thread[] thread = new Thread[1];
            final CompletableFuture<CompletionQueue> waiter = waitForever(channel, virtual, thread);
            Thread.sleep(QUIET_MS);
            assertFalse(waiter.isDone(), "blocked until the event (virtual: " + virtual + ")");
            send(pair, 0);
            assertSame(pair.server.recvCq, waiter.get(5, TimeUnit.SECONDS), "the blocked waiter gets the event");
            pair.server.recvCq.acknowledgeEvents(1);
            pair.server.awaitRecvCompletion();
        }
    }

    @Test
    public void shouldWakeUpAndReleaseBlockedVirtualThread() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = closeAfter(ctx.createCompletionChannel());
        final Thread[] thread = new Thread[1];
        final CompletableFuture<CompletionQueue> woken = waitForever(channel, true, thread);
        Thread.sleep(QUIET_MS);
        assertFalse(woken.isDone(), "a virtual thread without timeout blocks");
        channel.wakeup();
        assertNull(woken.get(5, TimeUnit.SECONDS), "woken");
        final CompletableFuture<CompletionQueue> released = waitForever(channel, true, thread);
        Thread.sleep(QUIET_MS);
        channel.close();
        assertNull(released.get(5, TimeUnit.SECONDS), "closing the channel releases a virtual thread too");
    }

    @Test
    public void shouldThrowWhenBlockedWaiterIsInterrupted() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = closeAfter(ctx.createCompletionChannel());
        for (final boolean virtual : new boolean[] {false, true})
        {
            final Thread[] thread = new Thread[1];
            final CompletableFuture<CompletionQueue> waiter = waitForever(channel, virtual, thread);
            Thread.sleep(QUIET_MS);
            assertFalse(waiter.isDone(), "blocked (virtual: " + virtual + ")");
            final long start = System.nanoTime();
            thread[0].interrupt();
            final ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(5, TimeUnit.SECONDS));
            assertInstanceOf(InterruptedException.class, e.getCause(), "an interrupt ends the wait");
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "within 2 s");
        }
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> take(channel, 10_000), "interrupted before the wait");
        assertFalse(Thread.interrupted(), "the interrupt was consumed");
    }

    @Test
    public void shouldNotLoseWakeupBeforeWait() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = closeAfter(ctx.createCompletionChannel());
        channel.wakeup();
        final long start = System.nanoTime();
        assertNull(take(channel, 10_000));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "a pending wakeup returns at once");
        final long second = System.nanoTime();
        assertNull(take(channel, 200));
        assertTrue(System.nanoTime() - second >= TimeUnit.MILLISECONDS.toNanos(150), "a wakeup is consumed once");
    }

    @Test
    public void shouldReturnNullToWaiterWhenChannelCloses() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionChannel channel = ctx.createCompletionChannel();
        final CompletableFuture<CompletionQueue> waiter = CompletableFuture.supplyAsync(() ->
        {
            try
            {
                return channel.awaitEvent(-1, TimeUnit.SECONDS);
            }
            catch (final InterruptedException e)
            {
                throw new AssertionError(e);
            }
        });
        Thread.sleep(100);
        channel.close();
        assertNull(waiter.get(5, TimeUnit.SECONDS), "closing the channel releases its waiter");
        assertFalse(channel.isOpen());
    }

    @Test
    public void shouldRunReadyListenerOnEventAndOnWakeup() throws Exception
    {
        final RcPair pair = pair();
        final CompletionChannel channel = pair.server.completionChannel;
        final AtomicInteger calls = new AtomicInteger();
        channel.readyListener(calls::incrementAndGet);
        onCleanup(() -> channel.readyListener(null));
        assertEquals(0, pair.server.recvCq.requestNotify(false));
        send(pair, 0);
        Tests.await(() -> calls.get() >= 1, "the listener runs when an event becomes ready");
        assertTrue(channel.hasEvent(), "the listener ran because an event is ready");
        assertSame(pair.server.recvCq, take(channel, 0));
        pair.server.recvCq.acknowledgeEvents(1);
        final int afterEvent = calls.get();
        channel.wakeup();
        Tests.await(() -> calls.get() > afterEvent, "the listener runs on wakeup");
        assertNull(take(channel, 0), "consume the wakeup");
        pair.server.awaitRecvCompletion();
    }

    @Test
    public void shouldRefuseArmingQueueWithoutChannel() throws Exception
    {
        final VerbsContext ctx = openContext();
        final CompletionQueue cq = closeAfter(ctx.createCompletionQueue(8, null, 0));
        Tests.assertErrno(Errno.EINVAL, cq.requestNotify(false), "requestNotify on a queue without channel");
    }
}
