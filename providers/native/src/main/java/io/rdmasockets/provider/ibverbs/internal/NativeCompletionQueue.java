package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvResourceDescriptors;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.support.ChildCount;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A completion queue, {@code struct ibv_cq}. {@link #poll} calls {@code ops.poll_cq} straight into the
 * {@link WorkCompletions}' memory, which is laid out as {@code struct ibv_wc[]}.
 *
 * <p>Events taken from the channel are counted until acknowledged: {@code ibv_destroy_cq} would wait
 * for them forever, so {@link #close()} refuses with EBUSY instead, and acknowledgements beyond what was
 * taken are not passed on (they would make that wait endless too).
 */
final class NativeCompletionQueue implements CompletionQueue
{
    private final NativeContext context;
    private final NativeCompletionChannel channel;
    private final MemorySegment cq;
    private final long address;
    private final int capacity;
    private final MemorySegment pollFn;
    private final MemorySegment notifyFn;
    private final Guard guard = new Guard();
    private final ChildCount users = new ChildCount("completion queue");
    private final AtomicInteger unacknowledged = new AtomicInteger();

    private NativeCompletionQueue(final NativeContext context, final NativeCompletionChannel channel,
        final MemorySegment cq)
    {
        this.context = context;
        this.channel = channel;
        this.cq = cq;
        this.address = cq.address();
        this.capacity = cq.reinterpret(IbvResourceDescriptors.CQ.byteSize()).get(ValueLayout.JAVA_INT,
            IbvResourceDescriptors.CQ_CQE);
        this.pollFn = VerbsOps.pollCqFunction(context.pointer());
        this.notifyFn = VerbsOps.reqNotifyCqFunction(context.pointer());
    }

    static NativeCompletionQueue create(final NativeContext context, final int minEntries,
        final NativeCompletionChannel channel, final int vector) throws VerbsException
    {
        context.children().add();
        try
        {
            if (null != channel)
            {
                channel.reserve();
            }
        }
        catch (final VerbsException e)
        {
            context.children().remove();
            throw e;
        }
        final NativeCompletionQueue queue;
        MemorySegment cq = null;
        try
        {
            cq = Ibverbs.createCq(context.pointer(), minEntries, null == channel ? MemorySegment.NULL : channel.pointer(),
                vector);
            queue = new NativeCompletionQueue(context, channel, cq);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            if (null != cq)
            {
                final MemorySegment created = cq;
                NativeContext.destroyQuietly(() -> Ibverbs.destroyCq(created));
            }
            if (null != channel)
            {
                channel.release();
            }
            context.children().remove();
            throw e;
        }
        if (null != channel)
        {
            channel.attach(queue);
        }
        return queue;
    }

    long address()
    {
        return address;
    }

    MemorySegment pointer()
    {
        return cq;
    }

    NativeContext nativeContext()
    {
        return context;
    }

    /** One event for this queue was read from the channel. */
    void eventTaken()
    {
        unacknowledged.incrementAndGet();
    }

    /** A queue pair now reports here. @throws VerbsException EBADF when closed. */
    void attach() throws VerbsException
    {
        users.add();
    }

    void detach()
    {
        users.remove();
    }

    @Override
    public VerbsContext context()
    {
        return context;
    }

    @Override
    public CompletionChannel channel()
    {
        return channel;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public int poll(final WorkCompletions completions)
    {
        return poll(completions, completions.capacity());
    }

    @Override
    public int poll(final WorkCompletions completions, final int max)
    {
        if (max < 0)
        {
            return -Errno.EINVAL.code();
        }
        final int n = Math.min(max, completions.capacity());
        if (!guard.enter())
        {
            return -Errno.EBADF.code();
        }
        try
        {
            final int rc = 0 == n ? 0 : VerbsOps.pollCq(pollFn, address, n, completions.segment());
            return rc >= 0 ? rc : -Errno.EIO.code();
        }
        finally
        {
            guard.exit();
        }
    }

    @Override
    public int requestNotify(final boolean solicitedOnly)
    {
        if (null == channel)
        {
            return Errno.EINVAL.code();
        }
        if (!guard.enter())
        {
            return Errno.EBADF.code();
        }
        try
        {
            final int rc = VerbsOps.reqNotifyCq(notifyFn, address, solicitedOnly);
            return rc >= 0 ? rc : Errno.EIO.code();
        }
        finally
        {
            guard.exit();
        }
    }

    @Override
    public void acknowledgeEvents(final int count)
    {
        if (count <= 0 || !guard.enter())
        {
            return;
        }
        try
        {
            // Entered first: close cannot destroy the queue between counting and acknowledging natively.
            int taken;
            int acknowledged;
            do
            {
                taken = unacknowledged.get();
                acknowledged = Math.min(count, taken);
                if (0 == acknowledged)
                {
                    return;
                }
            }
            while (!unacknowledged.compareAndSet(taken, taken - acknowledged));
            Ibverbs.ackCqEvents(cq, acknowledged);
        }
        finally
        {
            guard.exit();
        }
    }

    @Override
    public boolean isOpen()
    {
        return guard.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        final boolean closed = users.close(() ->
        {
            if (null == channel)
            {
                destroy();
            }
            else
            {
                // Under the channel's lock no event can be taken for this queue while it goes.
                channel.source().runLocked(() ->
                {
                    final int pending = unacknowledged.get();
                    if (pending > 0)
                    {
                        throw new VerbsException(Errno.EBUSY, "close completion queue: " + pending +
                            " events taken from its channel are unacknowledged (acknowledgeEvents)");
                    }
                    destroy();
                });
            }
        });
        if (closed)
        {
            if (null != channel)
            {
                channel.detach(this);
            }
            context.children().remove();
        }
    }

    private void destroy() throws VerbsException
    {
        guard.close();
        try
        {
            Ibverbs.destroyCq(cq);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            guard.reopen();
            throw e;
        }
    }

    @Override
    public String toString()
    {
        return "NativeCompletionQueue[" + context.device().name() + ", " + capacity + " entries]";
    }
}
