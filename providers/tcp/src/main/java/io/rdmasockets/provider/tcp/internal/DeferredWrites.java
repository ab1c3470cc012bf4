package io.rdmasockets.provider.tcp.internal;

/**
 * The connections whose writes the current thread left for its next poll ({@link FrameWriter#posted}).
 * Any completion-queue poll by the thread writes them first, so a thread that posts on one queue pair
 * and then polls another queue (its peer's, say) never leaves its own requests waiting.
 *
 * <p><b>Note:</b> one per thread; a full list makes the poster write at once instead.
 */
final class DeferredWrites
{
    private static final ThreadLocal<DeferredWrites> CURRENT = ThreadLocal.withInitial(DeferredWrites::new);
    private static final int CAPACITY = 8;

    private final TcpConnection[] connections = new TcpConnection[CAPACITY];
    private int count;

    private DeferredWrites()
    {
    }

    /** @return the calling thread's list. */
    static DeferredWrites current()
    {
        return CURRENT.get();
    }

    /**
     * @param connection a connection whose writes the thread defers.
     * @return false when the list is full: the caller must write now.
     */
    boolean add(final TcpConnection connection)
    {
        for (int i = 0; i < count; i++)
        {
            if (connections[i] == connection)
            {
                return true;
            }
        }
        if (CAPACITY == count)
        {
            return false;
        }
        connections[count++] = connection;
        return true;
    }

    /** Writes what the listed connections hold (and what they owe), and empties the list. */
    void flush()
    {
        final int n = count;
        count = 0;
        for (int i = 0; i < n; i++)
        {
            final TcpConnection c = connections[i];
            connections[i] = null;
            c.flushOwed();
        }
    }
}
