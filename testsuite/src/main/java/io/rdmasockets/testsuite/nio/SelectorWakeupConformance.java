package io.rdmasockets.testsuite.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Waking a selector: {@link Selector#wakeup()} before, during and after a selection operation, timeouts,
 * closing a selector while another thread selects, and interrupting a selecting thread (modelled on the
 * JDK's jtreg tests WakeupNow, WakeupOverflow, WakeupSpeed, WakeupAfterClose, SelectAndClose and
 * LotsOfInterrupts).
 *
 * <p>Rules checked, all from the {@link Selector} Javadoc: a wakeup with no selection operation in
 * progress makes the next one return at once; wakeups collapse into one; {@code selectNow} clears a pending
 * wakeup; {@code close} wakes a selecting thread, which returns normally, and deregisters every channel;
 * an interrupt makes a selection operation return at once and leaves the interrupt status set, without
 * closing the selector (unlike an interruptible channel).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class SelectorWakeupConformance extends AbstractSelectorTest
{
    @Test
    public void shouldReturnAtOnceAfterAWakeupBeforeSelect() throws Exception
    {
        final Selector selector = openSelector();
        selector.wakeup();
        final long start = System.nanoTime();
        assertEquals(0, selector.select(10_000));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "select returned at once");
        // The wakeup was used up: the next select waits its whole timeout.
        final long again = System.nanoTime();
        assertEquals(0, selector.select(BLOCKED_MS));
        assertWaited(again, BLOCKED_MS);
    }

    @Test
    public void shouldCollapseSeveralWakeupsIntoOne() throws Exception
    {
        final Selector selector = openSelector();
        for (int i = 0; i < 5; i++)
        {
            selector.wakeup();
        }
        assertEquals(0, (int)promptly(async(selector::select)));
        final long start = System.nanoTime();
        assertEquals(0, selector.select(BLOCKED_MS));
        assertWaited(start, BLOCKED_MS);
    }

    @Test
    public void shouldClearAPendingWakeupWithSelectNow() throws Exception
    {
        final Selector selector = openSelector();
        selector.wakeup();
        assertEquals(0, selector.selectNow());
        final long start = System.nanoTime();
        assertEquals(0, selector.select(BLOCKED_MS));
        assertWaited(start, BLOCKED_MS);
    }

    @Test
    public void shouldWakeABlockedSelect() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        register(pipe.source(), selector, SelectionKey.OP_READ);
        for (int round = 0; round < 3; round++)
        {
            final Future<Integer> select = async(selector::select);
            assertBlocked(select);
            selector.wakeup();
            assertEquals(0, promptly(select), "nothing was ready");
        }
        final Future<Integer> timed = async(() -> selector.select(60_000));
        assertBlocked(timed);
        selector.wakeup();
        assertEquals(0, promptly(timed));
    }

    @Test
    public void shouldWaitForTheTimeoutAndRefuseNegativeOnes() throws Exception
    {
        final Selector selector = openSelector();
        final long start = System.nanoTime();
        assertEquals(0, selector.select(200));
        assertWaited(start, 200);
        assertThrows(IllegalArgumentException.class, () -> selector.select(-1));
        assertThrows(IllegalArgumentException.class, () -> selector.select(k -> { }, -1));
    }

    @Test
    public void shouldWakeUpQuicklyManyTimes() throws Exception
    {
        // WakeupSpeed: a wakeup/select cycle is cheap; 20,000 of them fit well inside the deadline.
        final Selector selector = openSelector();
        for (int i = 0; i < 20_000; i++)
        {
            selector.wakeup();
            assertEquals(0, selector.select());
        }
    }

    @Test
    public void shouldBeHarmlessToWakeUpAClosedSelector() throws Exception
    {
        final Selector selector = openSelector();
        selector.close();
        assertFalse(selector.isOpen());
        selector.wakeup();
        selector.close();
        assertThrows(ClosedSelectorException.class, selector::select);
        assertThrows(ClosedSelectorException.class, () -> selector.select(10));
        assertThrows(ClosedSelectorException.class, selector::selectNow);
        assertThrows(ClosedSelectorException.class, () -> selector.select(k -> { }));
        assertThrows(ClosedSelectorException.class, () -> selector.selectNow(k -> { }));
        assertThrows(ClosedSelectorException.class, selector::keys);
        assertThrows(ClosedSelectorException.class, selector::selectedKeys);
        assertSame(provider(), selector.provider());
    }

    @Test
    public void shouldWakeASelectingThreadOnCloseAndDeregisterItsChannels() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        final SelectionKey key = register(pipe.source(), selector, SelectionKey.OP_READ);
        final Future<Integer> select = async(selector::select);
        assertBlocked(select);
        final Future<?> close = async(() ->
        {
            selector.close();
            return null;
        });
        promptly(close);
        assertEquals(0, promptly(select), "woken as by wakeup, normally");
        assertFalse(selector.isOpen());
        assertFalse(key.isValid());
        assertFalse(pipe.source().isRegistered());
        assertTrue(pipe.source().isOpen(), "closing a selector leaves its channels open");
        pipe.source().configureBlocking(true);
    }

    @Test
    public void shouldReturnAtOnceWhenAlreadyInterrupted() throws Exception
    {
        final Selector selector = openSelector();
        final Future<Boolean> run = async(() ->
        {
            Thread.currentThread().interrupt();
            for (int i = 0; i < 100; i++)
            {
                assertEquals(0, selector.select());
                assertEquals(0, selector.select(60_000));
                assertTrue(Thread.currentThread().isInterrupted(), "interrupt status stays set");
            }
            return Thread.interrupted();
        });
        assertTrue(promptly(run));
        assertTrue(selector.isOpen(), "an interrupt does not close a selector");
        final long start = System.nanoTime();
        assertEquals(0, selector.select(BLOCKED_MS));
        assertWaited(start, BLOCKED_MS);
    }

    @Test
    public void shouldReturnFromSelectOnEveryInterrupt() throws Exception
    {
        // LotsOfInterrupts: a selecting thread interrupted many times returns each time, status set.
        final int rounds = 500;
        final Selector selector = openSelector();
        final Semaphore selecting = new Semaphore(0);
        final Semaphore returned = new Semaphore(0);
        final AtomicReference<Thread> selectingThread = new AtomicReference<>();
        final Future<Integer> run = async(() ->
        {
            selectingThread.set(Thread.currentThread());
            int interrupted = 0;
            for (int i = 0; i < rounds; i++)
            {
                selecting.release();
                selector.select();
                if (Thread.interrupted())
                {
                    interrupted++;
                }
                returned.release();
            }
            return interrupted;
        });
        for (int i = 0; i < rounds; i++)
        {
            assertTrue(selecting.tryAcquire(PROMPT_S, TimeUnit.SECONDS), "round " + i + " started");
            if (i % 50 == 0)
            {
                Thread.sleep(20); // now and then, surely inside select
            }
            selectingThread.get().interrupt();
            assertTrue(returned.tryAcquire(PROMPT_S, TimeUnit.SECONDS), "select returned in round " + i);
        }
        assertEquals(rounds, promptly(run), "each select returned with the interrupt status set");
        assertTrue(selector.isOpen());
    }
}
