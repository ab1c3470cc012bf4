package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.support.ChildCount;

import java.util.concurrent.TimeUnit;

/** A CM event channel: events of its ids, with blocking waits, wakeup and a ready listener. */
final class TcpCmEventChannel implements CmEventChannel
{
    private final TcpConnectionManager manager;
    private final ChildCount resources = new ChildCount("event channel");
    private final EventQueue<CmEvent> events = new EventQueue<>();

    TcpCmEventChannel(final TcpConnectionManager manager)
    {
        this.manager = manager;
    }

    TcpConnectionManager manager()
    {
        return manager;
    }

    ChildCount resources()
    {
        return resources;
    }

    void deliver(final CmEvent event)
    {
        events.add(event);
    }

    @Override
    public CmEvent awaitEvent(final long timeout, final TimeUnit unit) throws InterruptedException
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
        }
    }
}
