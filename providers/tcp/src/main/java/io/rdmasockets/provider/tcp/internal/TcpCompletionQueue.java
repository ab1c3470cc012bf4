package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;

/**
 * A completion queue: a ring of completions in parallel primitive arrays, filled by reactor threads
 * and posting threads (flushes), drained by {@link #poll}. Nothing allocates while the ring has room.
 *
 * <p>Overrun: a full ring is never allowed to drop a completion. It doubles instead (the one
 * allocation) and {@link #add} reports the overrun, upon which the queue pair that overran moves to
 * ERR, as an overrun CQ's queue pairs do in verbs. The completions it then flushes fit as well.
 *
 * <p><b>Note:</b> thread safe; events follow libibverbs: arm once, one event per arm.
 */
final class TcpCompletionQueue implements CompletionQueue
{
    private static final int UNARMED = 0;
    private static final int ARMED_ALL = 1;
    private static final int ARMED_SOLICITED = 2;
    /** Connections a single empty poll reads at most (round robin), bounding its cost. */
    private static final int MAX_FEEDERS_PER_POLL = 8;

    private final TcpContext context;
    private final TcpCompletionChannel channel;
    private final int requestedCapacity;
    private long[] wrIds;
    private int[] statuses;
    private int[] opcodes;
    private int[] byteLengths;
    private int[] immediates;
    private int[] qpNumbers;
    private boolean[] withImm;
    private int mask;
    private volatile long head;
    private volatile long tail;
    private volatile boolean open = true;
    private volatile TcpConnection[] feeders = new TcpConnection[0];
    private int nextFeeder;
    /** The last poll read completions; a hint, so unsynchronized. */
    private boolean justRead;
    private final boolean pollProgress = TcpConfiguration.pollProgress();
    private int armed;
    private int unacknowledgedEvents;
    private int attachedQueuePairs;

    TcpCompletionQueue(final TcpContext context, final int minEntries, final TcpCompletionChannel channel)
    {
        this.context = context;
        this.channel = channel;
        this.requestedCapacity = minEntries;
        allocate(Integer.highestOneBit(Math.max(1, minEntries - 1)) << 1);
        if (null != channel)
        {
            channel.attach(this);
        }
    }

    /** @return the connections whose queue pairs complete here (do not modify). */
    TcpConnection[] feeders()
    {
        return feeders;
    }

    private void allocate(final int capacity)
    {
        wrIds = new long[capacity];
        statuses = new int[capacity];
        opcodes = new int[capacity];
        byteLengths = new int[capacity];
        immediates = new int[capacity];
        qpNumbers = new int[capacity];
        withImm = new boolean[capacity];
        mask = capacity - 1;
    }

    @Override
    public VerbsContext context()
    {
        return context;
    }

    TcpContext tcpContext()
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
        return Math.max(requestedCapacity, mask + 1);
    }

    /**
     * Appends a completion and fires the armed event.
     *
     * @param wrId       work request id.
     * @param status     wc status code.
     * @param opcode     wc opcode code.
     * @param byteLength bytes.
     * @param immediate  immediate's logical value.
     * @param hasImm     whether the immediate is valid.
     * @param qpNumber   local queue pair number.
     * @param solicited  whether the completion is a solicited receive.
     * @return false when the ring overran (the completion is kept; the caller moves its QP to ERR).
     */
    boolean add(
        final long wrId,
        final int status,
        final int opcode,
        final int byteLength,
        final int immediate,
        final boolean hasImm,
        final int qpNumber,
        final boolean solicited)
    {
        boolean fire = false;
        boolean fits = true;
        synchronized (this)
        {
            if (!open)
            {
                return true;
            }
            if (tail - head > mask)
            {
                grow();
                fits = false;
            }
            final int i = (int)tail & mask;
            wrIds[i] = wrId;
            statuses[i] = status;
            opcodes[i] = opcode;
            byteLengths[i] = byteLength;
            immediates[i] = immediate;
            qpNumbers[i] = qpNumber;
            withImm[i] = hasImm;
            tail++;
            if (ARMED_ALL == armed ||
                (ARMED_SOLICITED == armed && (solicited || WcStatus.SUCCESS.code() != status)))
            {
                armed = UNARMED;
                unacknowledgedEvents++;
                fire = true;
            }
        }
        if (fire)
        {
            channel.signal(this);
        }
        return fits;
    }

    private void grow()
    {
        final long[] oldWrIds = wrIds;
        final int[] oldStatuses = statuses;
        final int[] oldOpcodes = opcodes;
        final int[] oldByteLengths = byteLengths;
        final int[] oldImmediates = immediates;
        final int[] oldQpNumbers = qpNumbers;
        final boolean[] oldWithImm = withImm;
        final int oldMask = mask;
        allocate((oldMask + 1) * 2);
        for (long p = head; p != tail; p++)
        {
            final int from = (int)p & oldMask;
            final int to = (int)p & mask;
            wrIds[to] = oldWrIds[from];
            statuses[to] = oldStatuses[from];
            opcodes[to] = oldOpcodes[from];
            byteLengths[to] = oldByteLengths[from];
            immediates[to] = oldImmediates[from];
            qpNumbers[to] = oldQpNumbers[from];
            withImm[to] = oldWithImm[from];
        }
    }

    @Override
    public int poll(final WorkCompletions completions)
    {
        return poll(completions, completions.capacity());
    }

    @Override
    public int poll(final WorkCompletions completions, final int max)
    {
        if (!open)
        {
            return -Errno.EBADF.code();
        }
        if (pollProgress)
        {
            // Busy-poll mode: the polling thread writes what it posted since its last poll (coalesced)
            // and what the connections owe, and reads the connections feeding this queue itself,
            // sparing the hand-off to a reactor thread (which still runs when nobody polls).
            DeferredWrites.current().flush();
            flushOwed();
        }
        if (head == tail)
        {
            if (pollProgress)
            {
                if (justRead)
                {
                    // The last poll's read drained the socket and found completions; a read now would
                    // almost surely return nothing (a system call for nothing): read at the next poll.
                    justRead = false;
                    return 0;
                }
                progress();
                justRead = head != tail;
            }
            if (head == tail)
            {
                return 0;
            }
        }
        return drain(completions, max);
    }

    private void progress()
    {
        final TcpConnection[] f = feeders;
        final int n = f.length;
        if (0 == n)
        {
            return;
        }
        final int limit = Math.min(n, MAX_FEEDERS_PER_POLL);
        int i = nextFeeder;
        for (int k = 0; k < limit; k++)
        {
            if (i >= n)
            {
                i = 0;
            }
            f[i++].progressFromPoller();
        }
        nextFeeder = i;
    }

    private void flushOwed()
    {
        final TcpConnection[] f = feeders;
        final int n = f.length;
        int i = nextFeeder < n ? nextFeeder : 0;
        for (int k = Math.min(n, MAX_FEEDERS_PER_POLL); k > 0; k--)
        {
            f[i].flushOwed();
            i = i + 1 == n ? 0 : i + 1;
        }
    }

    /** @param c a connection whose queue pair completes here; polls read it directly. */
    synchronized void addFeeder(final TcpConnection c)
    {
        feeders = CopyOnWriteArrays.with(feeders, c);
    }

    /** @param c a connection no longer feeding this queue. */
    synchronized void removeFeeder(final TcpConnection c)
    {
        feeders = CopyOnWriteArrays.without(feeders, c);
    }

    private synchronized int drain(final WorkCompletions completions, final int max)
    {
        if (!open)
        {
            return -Errno.EBADF.code();
        }
        final int limit = Math.min(max, completions.capacity());
        int n = 0;
        while (n < limit && head != tail)
        {
            final int i = (int)head & mask;
            completions.set(n, wrIds[i], statuses[i], opcodes[i], byteLengths[i], immediates[i], withImm[i],
                qpNumbers[i]);
            head++;
            n++;
        }
        return n;
    }

    /**
     * The waiter reads the connections itself while it waits ({@link DirectWait}), or hands reading back to
     * the reactor before it parks ({@link TcpCompletionChannel#awaitEvent}): no hand-back now, which would
     * wake the reactor twice per message (to take reading back, then to give it up again).
     */
    @Override
    public int requestNotifyBeforeAwait(final boolean solicitedOnly)
    {
        if (null == channel || !channel.readsWhileWaiting())
        {
            return requestNotify(solicitedOnly);
        }
        DeferredWrites.current().flush();
        for (final TcpConnection c : feeders)
        {
            c.flushBeforeWait();
        }
        return arm(solicitedOnly);
    }

    /** Before a thread parks on the channel: the reactor must read again. */
    void handReadingBack()
    {
        for (final TcpConnection c : feeders)
        {
            c.pollerLeaving();
        }
    }

    @Override
    public int requestNotify(final boolean solicitedOnly)
    {
        DeferredWrites.current().flush();
        final TcpConnection[] f = feeders;
        for (final TcpConnection c : f)
        {
            // The caller is about to block: the reactor must read again, and owed ACKs must go now.
            c.pollerLeaving();
        }
        return arm(solicitedOnly);
    }

    private synchronized int arm(final boolean solicitedOnly)
    {
        if (!open)
        {
            return Errno.EBADF.code();
        }
        if (null == channel)
        {
            return Errno.EINVAL.code();
        }
        // A stronger arm wins, as in verbs: solicited-only never weakens an arm for all completions.
        if (ARMED_ALL != armed)
        {
            armed = solicitedOnly ? ARMED_SOLICITED : ARMED_ALL;
        }
        return 0;
    }

    @Override
    public synchronized void acknowledgeEvents(final int count)
    {
        unacknowledgedEvents = Math.max(0, unacknowledgedEvents - count);
        if (0 == unacknowledgedEvents)
        {
            notifyAll();
        }
    }

    synchronized void attach() throws VerbsException
    {
        if (!open)
        {
            throw new VerbsException(Errno.EBADF, "completion queue is closed");
        }
        attachedQueuePairs++;
    }

    synchronized void detach()
    {
        attachedQueuePairs--;
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    @Override
    public void close() throws VerbsException
    {
        synchronized (this)
        {
            if (!open)
            {
                return;
            }
            if (attachedQueuePairs > 0)
            {
                throw new VerbsException(Errno.EBUSY, "close completion queue: " + attachedQueuePairs +
                    " queue pairs still use it");
            }
            // Events still in the channel are dropped; those taken must have been acknowledged. Where
            // ibv_destroy_cq would block for them, fail: a forgotten acknowledgement is a bug, not a hang.
            if (null != channel)
            {
                unacknowledgedEvents = Math.max(0, unacknowledgedEvents - channel.discard(this));
            }
            if (unacknowledgedEvents > 0)
            {
                throw new VerbsException(Errno.EBUSY, "close completion queue: " + unacknowledgedEvents +
                    " events taken from its channel are unacknowledged (acknowledgeEvents)");
            }
            open = false;
        }
        if (null != channel)
        {
            channel.detach(this);
            channel.resources().remove();
        }
        context.resources().remove();
    }

    @Override
    public String toString()
    {
        return "TcpCompletionQueue[capacity=" + capacity() + "]";
    }

    /** @return the queue's positions, read without the lock (diagnostics). */
    String describe()
    {
        return "cq: head=" + head + " tail=" + tail + " armed=" + armed + " feeders=" + feeders.length +
            " justRead=" + justRead;
    }
}
