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

    void signal(final TcpCompletionQueue cq)
    {
        events.add(cq);
    }

    /** @param cq a queue being destroyed. @return how many of its events were still untaken. */
    int discard(final TcpCompletionQueue cq)
    {
        return events.removeAll(cq);
    }

    @Override
    public CompletionQueue awaitEvent(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return events.await(timeout, unit);
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
            context.resources().remove();
        }
    }
}
