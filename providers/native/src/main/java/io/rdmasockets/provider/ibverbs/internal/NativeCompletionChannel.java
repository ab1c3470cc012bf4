package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvResourceDescriptors;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.support.ChildCount;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * A completion channel, {@code struct ibv_comp_channel}: its descriptor is non-blocking and watched by the
 * {@link FdPoller}; {@code ibv_get_cq_event} runs only when the descriptor has something to read, under
 * the {@link EventSource}'s lock, and counts the event against its queue until acknowledged.
 */
final class NativeCompletionChannel implements CompletionChannel
{
    private static final System.Logger LOG = System.getLogger(NativeCompletionChannel.class.getName());

    private final NativeContext context;
    private final MemorySegment channel;
    private final ChildCount children = new ChildCount("completion channel");
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(Ffm.CALL_STATE);
    private final MemorySegment outCq = arena.allocate(ValueLayout.ADDRESS);
    private final MemorySegment outContext = arena.allocate(ValueLayout.ADDRESS);
    private final EventSource<NativeCompletionQueue> source;
    /** The queues reporting here, copied on write: the take looks the fired one up without allocating. */
    private volatile NativeCompletionQueue[] queues = new NativeCompletionQueue[0];

    NativeCompletionChannel(final NativeContext context, final MemorySegment channel) throws VerbsException
    {
        this.context = context;
        this.channel = channel;
        final int fd = channel.reinterpret(IbvResourceDescriptors.COMP_CHANNEL.byteSize())
            .get(ValueLayout.JAVA_INT, IbvResourceDescriptors.COMP_CHANNEL_FD);
        try
        {
            source = new EventSource<>("completion channel of " + context.device().name(), fd, this::take, false);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            arena.close();
            throw e;
        }
    }

    MemorySegment pointer()
    {
        return channel;
    }

    NativeContext nativeContext()
    {
        return context;
    }

    EventSource<NativeCompletionQueue> source()
    {
        return source;
    }

    /** Counts a queue about to be created on this channel. @throws VerbsException EBADF when closed. */
    void reserve() throws VerbsException
    {
        children.add();
    }

    /** Undoes {@link #reserve()} when the queue could not be created. */
    void release()
    {
        children.remove();
    }

    /** Lists a created queue, so that its events are recognised. */
    synchronized void attach(final NativeCompletionQueue cq)
    {
        final NativeCompletionQueue[] q = Arrays.copyOf(queues, queues.length + 1);
        q[q.length - 1] = cq;
        queues = q;
    }

    synchronized void detach(final NativeCompletionQueue cq)
    {
        final NativeCompletionQueue[] q = queues;
        for (int i = 0; i < q.length; i++)
        {
            if (q[i] == cq)
            {
                final NativeCompletionQueue[] shrunk = new NativeCompletionQueue[q.length - 1];
                System.arraycopy(q, 0, shrunk, 0, i);
                System.arraycopy(q, i + 1, shrunk, i, q.length - i - 1);
                queues = shrunk;
                children.remove();
                return;
            }
        }
    }

    /** The non-blocking {@code ibv_get_cq_event}, with the source's lock held. */
    private NativeCompletionQueue take()
    {
        while (true)
        {
            final int errno = Ibverbs.getCqEvent(state, channel, outCq, outContext);
            if (0 != errno)
            {
                if (Errno.EAGAIN.code() != errno)
                {
                    LOG.log(System.Logger.Level.ERROR, "ibv_get_cq_event: " + Errno.nameOf(errno));
                }
                return null;
            }
            final long fired = outCq.get(ValueLayout.JAVA_LONG, 0);
            for (final NativeCompletionQueue cq : queues)
            {
                if (cq.address() == fired)
                {
                    cq.eventTaken();
                    return cq;
                }
            }
            // Not ours (cannot happen while queues detach before they are destroyed): acknowledge and go on.
            Ibverbs.ackCqEvents(Ffm.pointer(fired), 1);
        }
    }

    @Override
    public VerbsContext context()
    {
        return context;
    }

    @Override
    public CompletionQueue awaitEvent(final long timeout, final TimeUnit unit) throws InterruptedException
    {
        return source.await(timeout, unit);
    }

    @Override
    public boolean hasEvent()
    {
        return source.hasEvent();
    }

    @Override
    public void wakeup()
    {
        source.wakeup();
    }

    @Override
    public void readyListener(final Runnable listener)
    {
        source.listener(listener);
    }

    @Override
    public boolean isOpen()
    {
        return children.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        if (children.close(() ->
        {
            source.close();
            Ibverbs.destroyCompChannel(channel);
        }))
        {
            arena.close();
            context.children().remove();
        }
    }

    @Override
    public String toString()
    {
        return "NativeCompletionChannel[" + context.device().name() + "]";
    }
}
