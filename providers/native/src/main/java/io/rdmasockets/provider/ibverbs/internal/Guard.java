package io.rdmasockets.provider.ibverbs.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps native memory alive while data-path calls use it: each call {@link #enter()}s and
 * {@link #exit()}s (two uncontended atomic operations, no allocation); {@link #close()} refuses new
 * callers and waits for those inside to leave, so the resource is destroyed exactly once and never
 * under a caller, whichever threads race.
 *
 * <p><b>Note:</b> thread safe.
 */
final class Guard
{
    private static final int CLOSED = 1 << 30;

    private final AtomicInteger state = new AtomicInteger();

    /** @return true when the caller may use the resource (and must {@link #exit()}); false once closed. */
    boolean enter()
    {
        int s;
        do
        {
            s = state.get();
            if (0 != (s & CLOSED))
            {
                return false;
            }
        }
        while (!state.compareAndSet(s, s + 1));
        return true;
    }

    /** Leaves after a successful {@link #enter()}. */
    void exit()
    {
        state.decrementAndGet();
    }

    /** @return false once {@link #close()} has begun. */
    boolean isOpen()
    {
        return 0 == (state.get() & CLOSED);
    }

    /**
     * Refuses new callers, then waits for the ones inside (their calls are short) to leave.
     *
     * @return true when this call closed it; false when it was closed already.
     */
    boolean close()
    {
        int s;
        do
        {
            s = state.get();
            if (0 != (s & CLOSED))
            {
                return false;
            }
        }
        while (!state.compareAndSet(s, s | CLOSED));
        for (int spins = 0; CLOSED != state.get(); spins++)
        {
            if (spins < 100)
            {
                Thread.onSpinWait();
            }
            else
            {
                LockSupport.parkNanos(10_000);
            }
        }
        return true;
    }

    /** Opens again after {@link #close()} when destroying the resource failed, so it stays usable. */
    void reopen()
    {
        state.set(0);
    }
}
