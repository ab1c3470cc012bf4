package io.rdmasockets.nio.channels;

import io.rdmasockets.rsocket.engine.PollWaiter;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A selector over rsockets and kernel sockets together, with the JDK's semantics (the {@link Selector}
 * specification and what {@code sun.nio.ch.SelectorImpl} does where the specification leaves room):
 * <ul>
 * <li>Kernel channels are registered, through their JDK delegates, in an inner JDK selector; a blocking
 *     select blocks there. Rsockets are polled through the engine ({@link StreamRsocket#pollEvents()}, which
 *     also makes progress on their completion queues) and, before the selector blocks, armed and watched:
 *     a completion, a connection event, a shutdown or a close then wakes the inner selector (the engine's
 *     {@code pollsignal}, wire-protocol doc section 4.5). An idle selector therefore sleeps; nothing spins.</li>
 * <li>Ready sets follow the JDK: a key not in the selected-key set is added with the ready operations; a key
 *     already there accumulates them; a select returns the number of keys whose ready set was updated, each
 *     counted once per operation. {@link #select(Consumer, long)} leaves the selected-key set alone, calls
 *     the action once per ready key and allocates nothing.</li>
 * <li>{@link #wakeup()} makes the select in progress, or else the next one, return at once; several count as
 *     one; any select consumes it. Waking for an rsocket's readiness is internal and never returns a select
 *     with nothing to report.</li>
 * <li>Keys may be registered, and interest sets changed, from any thread while another selects; cancelled
 *     keys are deregistered at the start and end of the next select operation. An interrupt makes a
 *     blocked select return with the interrupt status set. Close waits for a select in progress, which it
 *     wakes, and invalidates every key.</li>
 * </ul>
 * Interest changes made during a blocked select take effect at the next operation, as in the JDK.
 */
public final class HybridSelector extends AbstractSelector
{
    private final Selector inner;
    private final long pollingNs;
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selectedKeys = new HashSet<>();
    private final Set<SelectionKey> publicSelectedKeys = new UngrowableSet<>(selectedKeys);
    /** Keys registered since the last select started; drained by the selecting thread. */
    private final ConcurrentLinkedQueue<HybridKey> newKeys = new ConcurrentLinkedQueue<>();
    /** Every registered key not yet deregistered, in no order; selecting thread only. */
    private final ArrayList<HybridKey> all = new ArrayList<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Waiter waiter = new Waiter();
    private final Consumer<SelectionKey> onInnerReady = this::onInnerReady;

    // State of the select operation in progress (under this selector's monitor).
    private boolean inSelect;
    private long operation;
    private int updated;
    private Consumer<SelectionKey> action;

    /**
     * @param provider  the provider that made it.
     * @param kernel    the JDK's provider, for the selector inside.
     * @param pollingUs microseconds a select polls the rsockets before it blocks (rsocket's {@code polling_time}).
     * @throws IOException when the JDK selector cannot be opened.
     */
    public HybridSelector(final SelectorProvider provider, final SelectorProvider kernel, final long pollingUs)
        throws IOException
    {
        super(provider);
        this.inner = kernel.openSelector();
        this.pollingNs = TimeUnit.MICROSECONDS.toNanos(Math.max(0, pollingUs));
    }

    @Override
    public Set<SelectionKey> keys()
    {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys()
    {
        ensureOpen();
        return publicSelectedKeys;
    }

    @Override
    public int selectNow() throws IOException
    {
        return lockAndSelect(null, -1);
    }

    @Override
    public int select(final long timeout) throws IOException
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndSelect(null, timeout);
    }

    @Override
    public int select() throws IOException
    {
        return lockAndSelect(null, 0);
    }

    @Override
    public int select(final Consumer<SelectionKey> action, final long timeout) throws IOException
    {
        if (timeout < 0)
        {
            throw new IllegalArgumentException("Negative timeout");
        }
        return lockAndSelect(Objects.requireNonNull(action), timeout);
    }

    @Override
    public int select(final Consumer<SelectionKey> action) throws IOException
    {
        return lockAndSelect(Objects.requireNonNull(action), 0);
    }

    @Override
    public int selectNow(final Consumer<SelectionKey> action) throws IOException
    {
        return lockAndSelect(Objects.requireNonNull(action), -1);
    }

    @Override
    public Selector wakeup()
    {
        if (wakeupPending.compareAndSet(false, true))
        {
            inner.wakeup();
        }
        return this;
    }

    /** Makes a blocked select look at its keys again without returning for them (a stack was decided). */
    void rescan()
    {
        inner.wakeup();
    }

    @Override
    protected SelectionKey register(final AbstractSelectableChannel ch, final int ops, final Object att)
    {
        if (!(ch instanceof HybridChannel hybrid))
        {
            throw new IllegalSelectorException();
        }
        ensureOpen();
        final HybridKey key = new HybridKey(ch, this);
        key.attach(att);
        key.interestOps(ops);
        keys.add(key);
        hybrid.keyAdded(key);
        // As the JDK: a key registered while a select is blocked takes part from the next operation on.
        newKeys.add(key);
        return key;
    }

    @Override
    protected void implCloseSelector() throws IOException
    {
        wakeup();
        synchronized (this)
        {
            synchronized (publicSelectedKeys)
            {
                for (final SelectionKey k : keys)
                {
                    k.cancel();
                }
                processCancelled();
                drainNewKeys();
                for (int i = all.size() - 1; i >= 0; i--)
                {
                    remove(all.get(i));
                }
                selectedKeys.clear();
                inner.close();
                waiter.release();
            }
        }
    }

    private void ensureOpen()
    {
        if (!isOpen())
        {
            throw new ClosedSelectorException();
        }
    }

    /** As the JDK: one select at a time, under this selector and its selected-key set. */
    private int lockAndSelect(final Consumer<SelectionKey> onReady, final long timeout) throws IOException
    {
        synchronized (this)
        {
            ensureOpen();
            if (inSelect)
            {
                throw new IllegalStateException("select in progress");
            }
            inSelect = true;
            try
            {
                synchronized (publicSelectedKeys)
                {
                    return doSelect(onReady, timeout);
                }
            }
            finally
            {
                inSelect = false;
                action = null;
            }
        }
    }

    /** @param timeout -1: do not wait; 0: wait without limit; else milliseconds. */
    private int doSelect(final Consumer<SelectionKey> onReady, final long timeout) throws IOException
    {
        operation++;
        updated = 0;
        action = onReady;
        processCancelled();
        drainNewKeys();
        syncKernelKeys();
        pollRsockets(false);
        inner.selectNow(onInnerReady);
        if (0 == updated && timeout >= 0 && !wakeupPending.get() && !Thread.currentThread().isInterrupted())
        {
            spin();
            if (0 == updated)
            {
                block(timeout);
            }
        }
        processCancelled();
        wakeupPending.set(false);
        return updated;
    }

    /** Polls the rsockets for {@code polling_time} before blocking, as rpoll does. */
    private void spin()
    {
        if (0 == pollingNs || !hasRsockets())
        {
            return;
        }
        final long start = System.nanoTime();
        while (0 == updated && !wakeupPending.get() && System.nanoTime() - start < pollingNs)
        {
            Thread.onSpinWait();
            pollRsockets(false);
        }
    }

    private void block(final long timeout) throws IOException
    {
        final long deadline = 0 == timeout ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
        boolean watching = false;
        // No begin()/end() here: their interruptor calls wakeup(), and one that ran late left a wakeup for the
        // next select (which then returned without cause). The JDK selector inside is interruptible itself,
        // and the interrupt status is checked before each wait in it.
        try
        {
            while (true)
            {
                watching |= pollRsockets(true);
                if (0 != updated || wakeupPending.get() || Thread.currentThread().isInterrupted())
                {
                    return;
                }
                long waitMs = 0;
                if (0 != deadline)
                {
                    final long leftNs = deadline - System.nanoTime();
                    if (leftNs <= 0)
                    {
                        return;
                    }
                    waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNs + 999_999));
                }
                // Keys whose channel became a kernel socket (a connect decided, or fell back in the poll just
                // made) join before each wait: the wakeup that announced them may already have been consumed
                // by the selectNow at the start of this operation. Keys registered meanwhile wait for the next
                // operation, as in the JDK.
                syncKernelKeys();
                inner.select(onInnerReady, waitMs);
                processCancelled();
                if (0 != updated)
                {
                    return;
                }
            }
        }
        finally
        {
            if (watching)
            {
                unwatchAll();
            }
        }
    }

    private boolean hasRsockets()
    {
        for (int i = 0, n = all.size(); i < n; i++)
        {
            if (null != all.get(i).hybrid.rsocket())
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Polls every rsocket key with interest (and asks kernel channels for {@link HybridChannel#pendingOps}).
     *
     * @param arm watch and arm them first, so that a change from now on wakes the inner selector.
     * @return whether any was watched.
     */
    private boolean pollRsockets(final boolean arm)
    {
        boolean watched = false;
        for (int i = 0, n = all.size(); i < n; i++)
        {
            final HybridKey key = all.get(i);
            final StreamRsocket rs = key.hybrid.rsocket();
            final int interest = key.interest();
            if (0 == interest || !key.isValid())
            {
                continue;
            }
            if (null == rs)
            {
                update(key, key.hybrid.pendingOps(interest));
                continue;
            }
            final int events;
            if (arm)
            {
                rs.watch(waiter);
                watched = true;
                events = rs.pollArm();
            }
            else
            {
                events = rs.pollEvents();
            }
            if (0 != events && 0 == (events & StreamRsocket.POLLNVAL))
            {
                update(key, key.hybrid.readyOps(events, interest));
            }
        }
        return watched;
    }

    private void unwatchAll()
    {
        for (int i = 0, n = all.size(); i < n; i++)
        {
            final StreamRsocket rs = all.get(i).hybrid.rsocket();
            if (null != rs)
            {
                rs.unwatch(waiter);
            }
        }
    }

    private void onInnerReady(final SelectionKey innerKey)
    {
        final HybridKey key = (HybridKey)innerKey.attachment();
        if (key.isValid())
        {
            update(key, innerKey.readyOps() & key.interest());
        }
    }

    /** The JDK's rules for a key found ready ({@code SelectorImpl.processReadyEvents}). */
    private void update(final HybridKey key, final int ops)
    {
        if (0 == ops)
        {
            return;
        }
        final boolean first = key.updatedIn != operation;
        if (null != action)
        {
            if (first)
            {
                key.updatedIn = operation;
                key.ready(ops);
                updated++;
                action.accept(key);
                ensureOpen();
            }
            return;
        }
        if (selectedKeys.contains(key))
        {
            final int old = key.ready();
            if (0 != (ops & ~old))
            {
                key.ready(old | ops);
                if (first)
                {
                    key.updatedIn = operation;
                    updated++;
                }
            }
        }
        else
        {
            key.ready(ops);
            selectedKeys.add(key);
            if (first)
            {
                key.updatedIn = operation;
                updated++;
            }
        }
    }

    private void drainNewKeys()
    {
        HybridKey key;
        while (null != (key = newKeys.poll()))
        {
            if (key.index < 0)
            {
                key.index = all.size();
                all.add(key);
            }
        }
    }

    /** Registers the JDK delegate of every kernel channel that got one since its key was registered. */
    private void syncKernelKeys() throws IOException
    {
        for (int i = 0, n = all.size(); i < n; i++)
        {
            final HybridKey key = all.get(i);
            if (null != key.innerKey || !key.isValid())
            {
                continue;
            }
            final SelectableChannel delegate = key.hybrid.kernel();
            if (null != delegate && delegate.isOpen())
            {
                synchronized (key)
                {
                    try
                    {
                        key.innerKey = delegate.register(inner, key.interest(), key);
                    }
                    catch (final ClosedChannelException e)
                    {
                        // Closed meanwhile (by close, or by a connect that failed): its key is cancelled, or
                        // the channel reports the failure itself (HybridChannel.pendingOps).
                    }
                }
            }
        }
    }

    private void processCancelled()
    {
        final Set<SelectionKey> cancelled = cancelledKeys();
        synchronized (cancelled)
        {
            if (cancelled.isEmpty())
            {
                return;
            }
            for (final SelectionKey k : cancelled)
            {
                remove((HybridKey)k);
            }
            cancelled.clear();
        }
    }

    private void remove(final HybridKey key)
    {
        if (!keys.remove(key))
        {
            return;
        }
        selectedKeys.remove(key);
        final SelectionKey innerKey = key.innerKey;
        if (null != innerKey)
        {
            innerKey.cancel();
        }
        final StreamRsocket rs = key.hybrid.rsocket();
        if (null != rs)
        {
            rs.unwatch(waiter);
        }
        if (key.index >= 0)
        {
            // Swap with the last: order does not matter.
            final HybridKey last = all.remove(all.size() - 1);
            if (last != key)
            {
                all.set(key.index, last);
                last.index = key.index;
            }
            key.index = -1;
        }
        newKeys.remove(key);
        key.hybrid.keyRemoved(key);
        deregister(key);
    }

    /** Wakes the selecting thread for an rsocket's readiness, without marking a user wakeup. */
    private final class Waiter extends PollWaiter
    {
        @Override
        protected void wake()
        {
            inner.wakeup();
        }
    }

    @Override
    public String toString()
    {
        return "HybridSelector[keys=" + keys.size() + (isOpen() ? "" : ", closed") + "]";
    }
}
