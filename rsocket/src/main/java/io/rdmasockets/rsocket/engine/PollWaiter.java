package io.rdmasockets.rsocket.engine;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread that waits in a poll ({@code rpoll}, {@code rselect}, a selector) for sockets' readiness to
 * change. While it waits it {@link StreamRsocket#watch watches} the sockets; each of them calls
 * {@link #wake()} whenever its readiness may have changed: a completion event, a connection-manager event
 * handled by the service thread (accept queued, connect done, disconnect), a shutdown or a close. This is
 * C's {@code pollsignal} (wire-protocol doc section 4.5), aimed at the waiters of the socket only.
 *
 * <p>A socket keeps its watchers as bits of one {@code long}, so watching and waking allocate nothing.
 * The first 63 waiters alive at once own a bit each (taken at their first watch); later ones share the
 * last bit and are all woken together when any socket they watch signals it (correct, only less
 * targeted).
 *
 * <p><b>Note:</b> {@link #wake()} runs on provider and service threads: it must be quick and never block.
 */
public abstract class PollWaiter
{
    private static final int SHARED = 63;
    private static final PollWaiter[] OWNERS = new PollWaiter[SHARED];
    private static final Set<PollWaiter> SHARING = ConcurrentHashMap.newKeySet();

    /** Which bit; -1 until the first watch takes one (a constructor must not publish {@code this}). */
    private int index = -1;

    /** A waiter that takes its bit when it first watches a socket. */
    protected PollWaiter()
    {
    }

    /** @return this waiter's bit, taking a free one (or the shared one) on first use; called by its thread. */
    final long bit()
    {
        if (index < 0)
        {
            int free = SHARED;
            synchronized (OWNERS)
            {
                for (int i = 0; i < SHARED; i++)
                {
                    if (null == OWNERS[i])
                    {
                        OWNERS[i] = this;
                        free = i;
                        break;
                    }
                }
            }
            if (SHARED == free)
            {
                SHARING.add(this);
            }
            index = free;
        }
        return 1L << index;
    }

    /**
     * Makes the waiting thread (or its next wait) return and re-check its sockets. Called on engine,
     * provider and application threads; never blocks.
     */
    protected abstract void wake();

    /** Gives the bit back; the waiter must watch no socket any more. */
    public final void release()
    {
        if (SHARED == index)
        {
            SHARING.remove(this);
        }
        else if (index >= 0)
        {
            synchronized (OWNERS)
            {
                if (OWNERS[index] == this)
                {
                    OWNERS[index] = null;
                }
            }
        }
        index = -1;
    }

    /**
     * Wakes every waiter named in a socket's watcher bits.
     *
     * @param bits the bits.
     */
    static void wakeAll(final long bits)
    {
        long m = bits;
        while (0 != m)
        {
            final int i = Long.numberOfTrailingZeros(m);
            m &= m - 1;
            if (SHARED == i)
            {
                for (final PollWaiter w : SHARING)
                {
                    w.wake();
                }
            }
            else
            {
                final PollWaiter w = OWNERS[i];
                if (null != w)
                {
                    w.wake();
                }
            }
        }
    }

    /** @return whether this waiter shares its bit (more than 63 waiters alive). */
    boolean shared()
    {
        return SHARED == index;
    }
}
