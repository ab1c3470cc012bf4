package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.support.ChildCount;

import java.util.concurrent.TimeUnit;

/** A completion channel: armed queues post one event each here. */
final class TcpCompletionChannel implements CompletionChannel
{
    private final TcpContext context;
    private final ChildCount resources = new ChildCount("completion channel");
    private final EventQueue<TcpCompletionQueue> events = new EventQueue<>();
    private final DirectWait direct = TcpConfiguration.directWait() ? new DirectWait(events) : null;
    private static final TcpCompletionQueue[] NONE = new TcpCompletionQueue[0];
    /** The queues reporting here (copy on write). */
    private volatile TcpCompletionQueue[] queues = NONE;

    TcpCompletionChannel(final TcpContext context)
    {
        this.context = context;
    }

    @Override
    public VerbsContext context()
    {
        return context;
    }

    ChildCount resources()
    {
        return resources;
    }

    synchronized void attach(final TcpCompletionQueue cq)
    {
        queues = CopyOnWriteArrays.with(queues, cq);
    }

    synchronized void detach(final TcpCompletionQueue cq)
    {
        queues = CopyOnWriteArrays.without(queues, cq);
    }

    void signal(final TcpCompletionQueue cq)
    {
        events.add(cq);
    }

    /** @param cq a queue being destroyed. @return how many of its events were still untaken. */
    int discard(final TcpCompletionQueue cq)
    {
        return events.removeAll(cq);
    }

    /** @return whether a platform thread's wait here reads the sockets itself (so it may skip the hand-back). */
    boolean readsWhileWaiting()
    {
        return null != direct && !Thread.currentThread().isVirtual();
    }

    @Override
    public CompletionQueue awaitEvent(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        if (!readsWhileWaiting())
        {
            // A virtual thread parks, so it never blocks its carrier in a selector (its requestNotify, not
            // ...BeforeAwait, handed reading back).
            return events.await(timeout, unit);
        }
        long timeoutNs = timeout < 0 ? -1 : unit.toNanos(timeout);
        // A platform thread reads the sockets it waits for itself: one wake-up per message, as a kernel
        // socket's. One at a time; others park.
        if (0 != timeoutNs && direct.lock().tryLock())
        {
            final long startNs = System.nanoTime();
            Object r = DirectWait.GIVE_UP;
            try
            {
                r = direct.await(queues, timeoutNs);
            }
            finally
            {
                direct.lock().unlock();
                if (null == r || DirectWait.GIVE_UP == r)
                {
                    // Timed out, woken, interrupted or giving up: nobody reads these sockets until the
                    // application polls again, so the reactor must.
                    handReadingBack();
                }
            }
            if (DirectWait.GIVE_UP != r)
            {
                return (CompletionQueue)r;
            }
            if (timeoutNs > 0)
            {
                timeoutNs = Math.max(0, timeoutNs - (System.nanoTime() - startNs));
            }
        }
        else
        {
            // Parking: requestNotifyBeforeAwait left reading to this wait, so the reactor reads from now on.
            handReadingBack();
        }
        return events.await(timeoutNs, TimeUnit.NANOSECONDS);
    }

    private void handReadingBack()
    {
        for (final TcpCompletionQueue q : queues)
        {
            q.handReadingBack();
        }
    }

    @Override
    public boolean hasEvent()
    {
        return events.hasEvent();
    }

    @Override
    public void wakeup()
    {
        events.wakeup();
    }

    @Override
    public void readyListener(final Runnable listener)
    {
        events.listener(listener);
    }

    @Override
    public boolean isOpen()
    {
        return resources.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        if (resources.close())
        {
            events.close();
            if (null != direct)
            {
                direct.close();
            }
            context.resources().remove();
        }
    }
}
