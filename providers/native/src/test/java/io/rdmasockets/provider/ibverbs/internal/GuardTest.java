package io.rdmasockets.provider.ibverbs.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.*;

/** The data-path guard: close waits for the calls inside, refuses later ones, and happens once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GuardTest
{
    @Test
    void shouldRefuseCallersAfterCloseAndCloseOnce()
    {
        final Guard guard = new Guard();
        assertTrue(guard.enter());
        guard.exit();
        assertTrue(guard.close());
        assertFalse(guard.isOpen());
        assertFalse(guard.enter());
        assertFalse(guard.close(), "a second close does nothing");
        guard.reopen();
        assertTrue(guard.enter(), "reopened after a failed destroy");
        guard.exit();
    }

    @Test
    void shouldWaitForTheCallInsideBeforeClosing() throws Exception
    {
        final Guard guard = new Guard();
        assertTrue(guard.enter());
        final AtomicBoolean closed = new AtomicBoolean();
        final Thread closer = Thread.ofPlatform().start(() -> closed.set(guard.close()));
        Thread.sleep(200);
        assertFalse(closed.get(), "close waits while a call is inside");
        assertFalse(guard.enter(), "but refuses new callers already");
        guard.exit();
        closer.join(5000);
        assertTrue(closed.get());
    }

    @Test
    void shouldNeverLetACallerInAfterCloseReturnsUnderContention() throws Exception
    {
        final Guard guard = new Guard();
        final AtomicBoolean destroyed = new AtomicBoolean();
        final AtomicLong useAfterDestroy = new AtomicLong();
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch start = new CountDownLatch(1);
        final Thread[] callers = new Thread[3];
        for (int i = 0; i < callers.length; i++)
        {
            callers[i] = Thread.ofPlatform().start(() ->
            {
                try
                {
                    start.await();
                }
                catch (final InterruptedException e)
                {
                    return;
                }
                while (guard.enter())
                {
                    try
                    {
                        if (destroyed.get())
                        {
                            useAfterDestroy.incrementAndGet();
                        }
                        calls.incrementAndGet();
                    }
                    finally
                    {
                        guard.exit();
                    }
                }
            });
        }
        start.countDown();
        while (calls.get() < 10_000)
        {
            Thread.onSpinWait();
        }
        assertTrue(guard.close());
        destroyed.set(true);
        for (final Thread t : callers)
        {
            t.join(5000);
            assertFalse(t.isAlive());
        }
        assertEquals(0, useAfterDestroy.get(), "a caller ran after the resource was destroyed");
    }
}
