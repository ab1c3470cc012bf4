package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A connection-manager event channel with a look-aside buffer: waiting for one id's event keeps the
 * events of other ids (a listener's channel carries every accepted id's events) for later waits.
 *
 * <p><b>Note:</b> not thread safe; one test thread uses it.
 */
public final class CmEventQueue implements AutoCloseable
{
    private final CmEventChannel channel;
    private final List<CmEvent> pending = new ArrayList<>();
    private final List<CmEvent> history = new ArrayList<>();

    /** @param channel the channel to read. */
    public CmEventQueue(final CmEventChannel channel)
    {
        this.channel = channel;
    }

    /** @return the channel. */
    public CmEventChannel channel()
    {
        return channel;
    }

    /**
     * Takes the first event, buffered or new, that matches.
     *
     * @param match   which event.
     * @param timeout the deadline.
     * @return the event, or {@code null} after the deadline.
     */
    public CmEvent poll(final Predicate<CmEvent> match, final Duration timeout)
    {
        for (final Iterator<CmEvent> it = pending.iterator(); it.hasNext(); )
        {
            final CmEvent e = it.next();
            if (match.test(e))
            {
                it.remove();
                return e;
            }
        }
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            // Look at least once, even with a zero timeout.
            final long leftNs = Math.max(0, deadlineNs - System.nanoTime());
            final CmEvent e;
            try
            {
                e = channel.awaitEvent(Math.min(leftNs, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for a CM event (test deadline?)", ex);
            }
            if (null == e)
            {
                if (System.nanoTime() - deadlineNs >= 0)
                {
                    return null;
                }
                continue;
            }
            history.add(e);
            if (match.test(e))
            {
                return e;
            }
            pending.add(e);
        }
    }

    /**
     * Takes the next event of a type for an id; fails at the deadline.
     *
     * @param type    the type.
     * @param id      the id, or {@code null} for any.
     * @param timeout the deadline.
     * @return the event.
     */
    public CmEvent await(final CmEventType type, final CmId id, final Duration timeout)
    {
        final CmEvent e = poll(ev -> ev.type() == type && (null == id || ev.id() == id), timeout);
        if (null == e)
        {
            fail("no " + type + (null == id ? "" : " for " + id) + " within " + timeout + "; unclaimed: " + pending +
                "; seen: " + history);
        }
        return e;
    }

    /**
     * Takes the next event for an id (any id when {@code null}), whatever its type; fails at the deadline.
     *
     * @param id      the id, or {@code null}.
     * @param timeout the deadline.
     * @return the event.
     */
    public CmEvent next(final CmId id, final Duration timeout)
    {
        final CmEvent e = poll(ev -> null == id || ev.id() == id, timeout);
        if (null == e)
        {
            fail("no CM event" + (null == id ? "" : " for " + id) + " within " + timeout + "; seen: " + history);
        }
        return e;
    }

    /** @return every event read from the channel so far, in order. */
    public List<CmEvent> history()
    {
        return List.copyOf(history);
    }

    /** Closes the channel. */
    @Override
    public void close() throws VerbsException
    {
        channel.close();
    }
}
