package io.rdmasockets.tools.verbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmId;

import java.lang.foreign.Arena;
import java.time.Duration;

/**
 * One side of a {@link LoopbackConnection}: its connection id, completion queue (for both directions),
 * queue pair, one registered region, and the peer's region.
 *
 * <p><b>Note:</b> not thread safe; one thread drives an endpoint at a time.
 */
public final class Endpoint
{
    private final String role;
    private final Arena arena = Arena.ofShared();
    CmEventChannel channel;
    CmId id;
    CompletionQueue cq;
    QueuePair qp;
    MemoryRegion mr;
    RemoteRegion peer;
    VerbsProvider provider;

    Endpoint(final String role)
    {
        this.role = role;
    }

    /** @return "client" or "server", for messages. */
    public String role()
    {
        return role;
    }

    /** @return the arena that owns the region's memory and the endpoint's completion arrays. */
    public Arena arena()
    {
        return arena;
    }

    /**
     * @param what what did not happen, e.g. "no completion for 10 s".
     * @return an error naming this side, with the provider's {@link VerbsProvider#diagnostics()} so that
     *         a stall can be diagnosed from the report alone.
     */
    public ToolException stall(final String what)
    {
        final String diagnostics = null == provider ? "" : provider.diagnostics();
        return new ToolException(role + ": " + what +
            (diagnostics.isEmpty() ? "" : "\nprovider '" + provider.name() + "' state:\n" + diagnostics));
    }

    /** @return the connection id. */
    public CmId id()
    {
        return id;
    }

    /** @return the completion queue of both the send and the receive queue. */
    public CompletionQueue cq()
    {
        return cq;
    }

    /** @return the queue pair. */
    public QueuePair qp()
    {
        return qp;
    }

    /** @return the local registered region. */
    public MemoryRegion mr()
    {
        return mr;
    }

    /** @return the peer's region, learnt from the connection's private data. */
    public RemoteRegion peer()
    {
        return peer;
    }

    /**
     * Busy-polls for one completion (off the hot path: it allocates the result).
     *
     * @param wcs     the array to poll into.
     * @param timeout how long to wait.
     * @return the completion.
     * @throws ToolException on timeout or a poll error.
     */
    public Completion awaitCompletion(final WorkCompletions wcs, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            final int n = cq.poll(wcs, 1);
            if (n > 0)
            {
                return Completion.of(wcs, 0);
            }
            if (n < 0)
            {
                throw new ToolException(role + ": poll failed: " + Errno.nameOf(-n));
            }
            if (System.nanoTime() - deadline > 0)
            {
                throw stall("no completion within " + timeout.toMillis() + " ms");
            }
            Thread.onSpinWait();
        }
    }

    /** Closes whatever was created, newest first; failures are added to {@code failure}. */
    Throwable close(final Throwable failure)
    {
        Throwable f = failure;
        f = closeQuietly(id, f);    // destroys the queue pair too
        f = closeQuietly(cq, f);
        f = closeQuietly(mr, f);
        f = closeQuietly(channel, f);
        arena.close();
        return f;
    }

    static Throwable closeQuietly(final AutoCloseable resource, final Throwable failure)
    {
        if (null == resource)
        {
            return failure;
        }
        try
        {
            resource.close();
            return failure;
        }
        catch (final Exception ex)
        {
            if (null == failure)
            {
                return ex;
            }
            failure.addSuppressed(ex);
            return failure;
        }
    }
}
