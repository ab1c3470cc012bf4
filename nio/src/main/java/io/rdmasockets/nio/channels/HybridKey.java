package io.rdmasockets.nio.channels;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * A key of a {@link HybridSelector}. For a kernel channel it owns a key in the selector's JDK selector
 * (whose attachment is this key); for an rsocket the selector polls the rsocket itself.
 */
final class HybridKey extends AbstractSelectionKey
{
    final SelectableChannel channel;
    final HybridChannel hybrid;
    final HybridSelector selector;
    private volatile int interestOps;
    /** Written by the selecting thread only (under the selector's lock), read by anyone. */
    private volatile int readyOps;
    /** The key in the JDK selector (kernel channels); selecting thread only. */
    volatile SelectionKey innerKey;
    /** The select operation that last updated this key, so a key counts once per operation. */
    long updatedIn;
    /** Index in the selector's key list; selecting thread only. */
    int index = -1;

    HybridKey(final SelectableChannel channel, final HybridSelector selector)
    {
        this.channel = channel;
        this.hybrid = (HybridChannel)channel;
        this.selector = selector;
    }

    @Override
    public SelectableChannel channel()
    {
        return channel;
    }

    @Override
    public Selector selector()
    {
        return selector;
    }

    @Override
    public int interestOps()
    {
        ensureValid();
        return interestOps;
    }

    /** @return the interest set without the validity check (the selecting thread). */
    int interest()
    {
        return interestOps;
    }

    @Override
    public SelectionKey interestOps(final int ops)
    {
        ensureValid();
        if (0 != (ops & ~channel.validOps()))
        {
            throw new IllegalArgumentException("Invalid interest ops: " + ops);
        }
        synchronized (this)
        {
            interestOps = ops;
            final SelectionKey inner = innerKey;
            if (null != inner && inner.isValid())
            {
                try
                {
                    inner.interestOps(ops);
                }
                catch (final CancelledKeyException ignored)
                {
                    // The delegate closed under us: this key is cancelled too, and goes at the next select.
                }
            }
        }
        return this;
    }

    @Override
    public int readyOps()
    {
        ensureValid();
        return readyOps;
    }

    /** @return the ready set without the validity check. */
    int ready()
    {
        return readyOps;
    }

    void ready(final int ops)
    {
        readyOps = ops;
    }

    private void ensureValid()
    {
        if (!isValid())
        {
            throw new CancelledKeyException();
        }
    }

    @Override
    public String toString()
    {
        return "HybridKey[channel=" + channel + ", interest=" + interestOps + ", ready=" + readyOps +
            (isValid() ? "" : ", cancelled") + "]";
    }
}
