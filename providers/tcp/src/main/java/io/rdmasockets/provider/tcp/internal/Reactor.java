package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One selector thread ({@code rdmasockets-tcp-reactor-N}, daemon) driving non-blocking channels. It runs
 * only while channels are registered: the first {@link #acquire()} starts it, and it exits once the
 * last channel is {@link #release() released}.
 *
 * <p>Cross-thread work goes through {@link #schedule}, which wakes the selector only when it is
 * actually blocked in select. The selected-key callback is preallocated: a loop allocates nothing.
 *
 * <p><b>Note:</b> {@link #schedule}, {@link #acquire()} and {@link #release()} are thread safe; the
 * rest is for the reactor thread only.
 */
final class Reactor implements Runnable
{
    private final String name;
    private final AtomicReference<ReactorHandler> pending = new AtomicReference<>();
    private final ArrayList<ReactorHandler> timed = new ArrayList<>();
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private volatile boolean selecting;
    /** Loop iterations so far: written by the reactor thread only (diagnostics, tests). */
    private volatile long iterations;
    private volatile Selector selector;
    private Thread thread;
    private int channels;
    private boolean running;

    Reactor(final String name)
    {
        this.name = name;
    }

    /** Counts a channel and starts the thread if needed. */
    synchronized void acquire()
    {
        channels++;
        if (!running)
        {
            try
            {
                selector = PlatformSelectorProvider.get().openSelector();
            }
            catch (final IOException ex)
            {
                channels--;
                throw new UncheckedIOException(ex);
            }
            running = true;
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Uncounts a channel; the thread exits when none is left. */
    void release()
    {
        final Selector s;
        synchronized (this)
        {
            channels--;
            s = selector;
        }
        if (null != s)
        {
            s.wakeup();
        }
    }

    /** @return the selector of the running thread; reactor thread only. */
    Selector selector()
    {
        return selector;
    }

    /** @return true on the reactor thread. */
    boolean inReactor()
    {
        return Thread.currentThread() == thread;
    }

    /** @param handler to run {@link ReactorHandler#onScheduled()} on the reactor thread soon. */
    void schedule(final ReactorHandler handler)
    {
        if (!handler.queued.compareAndSet(false, true))
        {
            return;
        }
        ReactorHandler head;
        do
        {
            head = pending.get();
            handler.nextPending = head;
        }
        while (!pending.compareAndSet(head, handler));
        if (selecting)
        {
            final Selector s = selector;
            if (null != s)
            {
                s.wakeup();
            }
        }
    }

    /** @param handler polled for its deadline each iteration; reactor thread only. */
    void addTimed(final ReactorHandler handler)
    {
        if (!timed.contains(handler))
        {
            timed.add(handler);
        }
    }

    /** @return a line on the thread's state and what it holds, for {@code diagnostics()}; any thread. */
    String describe()
    {
        final Thread t;
        final int n;
        final boolean r;
        synchronized (this)
        {
            t = thread;
            n = channels;
            r = running;
        }
        final StringBuilder b = new StringBuilder(name).append(": running=").append(r).append(" channels=").append(n)
            .append(" pending=").append(null != pending.get()).append(" selecting=").append(selecting);
        if (null != t)
        {
            b.append(" thread=").append(t.getState());
            for (final StackTraceElement e : t.getStackTrace())
            {
                b.append("\n    at ").append(e);
            }
        }
        return b.toString();
    }

    @Override
    public void run()
    {
        final Selector sel = selector;
        try
        {
            while (true)
            {
                try
                {
                    iterate(sel);
                }
                catch (final IOException | RuntimeException ex)
                {
                    // Nothing may end the loop while channels depend on it; log and carry on.
                    System.getLogger(Reactor.class.getName()).log(System.Logger.Level.WARNING, name, ex);
                }
                synchronized (this)
                {
                    if (0 == channels && null == pending.get())
                    {
                        // Under the lock: once it is released, acquire() may start the next thread,
                        // which uses the same timer list.
                        timed.clear();
                        running = false;
                        selector = null;
                        break;
                    }
                }
            }
        }
        catch (final Error ex)
        {
            synchronized (this)
            {
                timed.clear();
                running = false;
                selector = null;
            }
            throw ex;
        }
        finally
        {
            try
            {
                sel.close();
            }
            catch (final IOException ignore)
            {
                // Nothing left to do with a selector that fails to close.
            }
        }
    }

    /** @return the selector loop's iterations so far: a reactor that spins shows here. */
    long iterations()
    {
        return iterations;
    }

    private void iterate(final Selector sel) throws IOException
    {
        iterations++;
        runPending();
        final long timeoutMs = timeoutMs();
        selecting = true;
        try
        {
            if (null != pending.get())
            {
                sel.selectNow(onSelected);
            }
            else if (timeoutMs < 0)
            {
                sel.select(onSelected);
            }
            else
            {
                sel.select(onSelected, timeoutMs);
            }
        }
        finally
        {
            selecting = false;
        }
        runPending();
        runDeadlines();
    }

    private void onSelected(final SelectionKey key)
    {
        final ReactorHandler handler = (ReactorHandler)key.attachment();
        try
        {
            final int readyOps = key.readyOps();
            safely(handler, readyOps);
        }
        catch (final CancelledKeyException ex)
        {
            // Closed by another thread meanwhile: nothing to do for it.
        }
    }

    private static void safely(final ReactorHandler handler, final int readyOps)
    {
        try
        {
            if (readyOps < 0)
            {
                handler.onScheduled();
            }
            else
            {
                handler.onReady(readyOps);
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // One broken connection must never kill the thread that drives all the others.
            System.getLogger(Reactor.class.getName()).log(System.Logger.Level.WARNING, "handler failed", ex);
            try
            {
                handler.onFailure(ex);
            }
            catch (final RuntimeException ignore)
            {
                // Already failing; nothing more to do.
            }
        }
    }

    private void runPending()
    {
        ReactorHandler h = pending.getAndSet(null);
        while (null != h)
        {
            final ReactorHandler next = h.nextPending;
            h.nextPending = null;
            h.queued.set(false);
            safely(h, -1);
            h = next;
        }
    }

    private long timeoutMs()
    {
        final int n = timed.size();
        if (0 == n)
        {
            return -1;
        }
        long earliest = Long.MAX_VALUE;
        final long now = System.nanoTime();
        for (int i = 0; i < n; i++)
        {
            final long d = timed.get(i).deadlineNs();
            if (0 != d)
            {
                earliest = Math.min(earliest, d - now);
            }
        }
        return Long.MAX_VALUE == earliest ? 1000 : Math.max(1, earliest / 1_000_000 + 1);
    }

    private void runDeadlines()
    {
        if (timed.isEmpty())
        {
            return;
        }
        final long now = System.nanoTime();
        for (int i = timed.size() - 1; i >= 0; i--)
        {
            if (i >= timed.size())
            {
                continue;
            }
            final ReactorHandler h = timed.get(i);
            final long d = h.deadlineNs();
            if (0 == d)
            {
                timed.remove(i);
            }
            else if (now - d >= 0)
            {
                timed.remove(i);
                try
                {
                    h.onDeadline();
                }
                catch (final RuntimeException ex)
                {
                    System.getLogger(Reactor.class.getName()).log(System.Logger.Level.WARNING, "deadline failed", ex);
                    h.onFailure(ex);
                }
            }
        }
    }
}
