package io.rdmasockets.tools.verbs;

/**
 * What a busy-polling loop does between empty polls. Spinning gives the lowest latency but needs a core
 * per polling thread; yielding lets a software provider's own threads run on a small machine.
 */
public enum IdleStrategy
{
    /** {@link Thread#onSpinWait()}: pure busy polling. */
    SPIN,
    /** {@link Thread#yield()}: busy polling that gives the core away when others want it. */
    YIELD,
    /** {@link java.util.concurrent.locks.LockSupport#parkNanos} of 1 ns (tens of microseconds in practice): frees the core. */
    PARK;

    /** The fewest cores on which {@link #auto()} spins: two pollers plus a provider thread or two. */
    public static final int SPIN_MIN_CORES = 4;

    /** @return {@link #SPIN} on machines with {@value #SPIN_MIN_CORES} cores or more, else {@link #YIELD}. */
    public static IdleStrategy auto()
    {
        return Runtime.getRuntime().availableProcessors() >= SPIN_MIN_CORES ? SPIN : YIELD;
    }

    /** Called after an empty poll. */
    public void idle()
    {
        if (this == SPIN)
        {
            Thread.onSpinWait();
        }
        else if (this == YIELD)
        {
            Thread.yield();
        }
        else
        {
            java.util.concurrent.locks.LockSupport.parkNanos(1);
        }
    }
}
