package io.rdmasockets.provider.tcp.internal;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Who reads a connection's socket, and when. The reactor reads on OP_READ; a thread busy-polling a
 * completion queue the connection feeds reads it itself ({@link #fromPoller()}), and while it does the
 * reactor stops reading (OP_READ off) and only runs a timer that flushes owed ACKs and takes reading
 * back once the polling stops. A stream stalled for a receive (RNR) is left to the reactor.
 *
 * <p><b>Note:</b> the reader runs under {@link #reading}, whichever thread runs it; interest ops and
 * timers are changed on the reactor thread only.
 */
final class InboundControl
{
    private static final int RNR_RETRY_INFINITE = 7;
    /** Time one RNR retry is worth (IB's RNR NAK timer is configurable; this is a round figure). */
    private static final long RNR_RETRY_DELAY_NS = 10_000_000L;
    /**
     * The reactor looks at busy-polled connections on ticks of 2^20 ns (about a millisecond), all at
     * once: one wake-up per tick however many connections are polled.
     */
    private static final int POLLER_TICK_SHIFT = 20;

    /** How long after its last poll a busy-polling thread is trusted to keep reading the socket. */
    private final long pollerGraceNs = TcpConfiguration.pollerGraceNs();
    private final TcpConnection connection;
    private final FrameReader reader;
    private final FrameWriter writer;
    /** Held by whichever thread runs the reader: the reactor, or a thread busy-polling a CQ. */
    private final AtomicBoolean reading = new AtomicBoolean();
    private volatile boolean stalled;
    /**
     * Set by the reactor when it wanted to parse while the poller held the reader; the poller hands the
     * resume back when it lets go. (Rescheduling at once instead spun the reactor for as long as the poller
     * kept the reader, a busy thread more on small machines: thousands of selects per message.)
     */
    private volatile boolean resumeWanted;
    /**
     * Polls that ran the reader so far (a counter, not a clock: nanoTime costs tens of nanoseconds on
     * some machines, per poll). The reactor samples it to notice that the polling stopped.
     */
    private volatile int polls;
    /** The thread that polled last. */
    private volatile Thread poller;
    /** Reactor: {@link #polls} when last sampled, when it last changed, and when the reactor looked. */
    private int polledSeen;
    private long polledChangedNs;
    private long polledCheckedNs;
    /** A thread blocked on a completion channel watches this socket in its own selector ({@code DirectWait}). */
    private volatile boolean waiterWatching;
    /** True while the reactor leaves reading to a busy poller (OP_READ off, timer on). */
    private volatile boolean pollerDriven;
    private volatile int peerRnrRetry = RNR_RETRY_INFINITE;
    private long rnrDeadlineNs;

    InboundControl(final TcpConnection connection, final FrameReader reader, final FrameWriter writer)
    {
        this.connection = connection;
        this.reader = reader;
        this.writer = writer;
    }

    /** @param retries the peer's RNR retry count from its REQ/REP: how long its requests may wait here. */
    void peerRnrRetry(final int retries)
    {
        peerRnrRetry = retries;
    }

    /**
     * From a thread polling a completion queue this connection feeds: read and process what the
     * socket has, unless another thread is reading or the stream waits for a receive.
     *
     * @return false when the reactor owns reading (the stream waits for a receive, or the connection is
     *         not registered or closed); true otherwise, also when another thread held the reader.
     */
    boolean fromPoller()
    {
        if (stalled || !connection.isRegistered() || !connection.isOpen())
        {
            return false;
        }
        polls++;
        final Thread current = Thread.currentThread();
        if (poller != current)
        {
            poller = current;
        }
        if (!pollerDriven)
        {
            // Once per polling phase: the reactor stops reading this socket and starts its timer.
            pollerDriven = true;
            connection.schedule(TcpConnection.TASK_POLLER_START);
        }
        if (!reading.compareAndSet(false, true))
        {
            return true;
        }
        final int result;
        try
        {
            result = reader.onReadable();
        }
        catch (final IOException | RuntimeException ex)
        {
            reading.set(false);
            connection.onTransportFailure(ex);
            return false;
        }
        releaseAsPoller(FrameReader.STALLED == result);
        // A standalone ACK waits for a later poll (or the reactor's timer): by then the application has
        // usually answered, and the answer carries the ACK. NAKs and read responses go now.
        // Unless the reactor took reading back while we read (stopPollerDriven): it flushed before what
        // we just executed was owed and left its timer, so no tick will come. Reading pollerDriven after
        // releasing the reader closes the race: either we see false here, or the reactor's CAS on
        // reading comes after our release and its own read flushes what we owe.
        if (writer.hasUrgent() || (!pollerDriven && writer.hasWork()))
        {
            writer.flushFromPoller();
        }
        return true;
    }

    /** A poller lets go of the reader; the reactor resumes if the read stalled or it wanted the reader. */
    private void releaseAsPoller(final boolean stalledRead)
    {
        reading.set(false);
        if (stalledRead || resumeWanted)
        {
            // Interest ops belong to the reactor: let it re-check (and switch reading off when stalled).
            resumeWanted = false;
            connection.schedule(TcpConnection.TASK_RESUME);
        }
    }

    /** Tests: holds the reader as a poller descheduled in the middle of a read does. @return it was free. */
    boolean holdReaderForTest()
    {
        return reading.compareAndSet(false, true);
    }

    /** Tests: lets go of the reader taken by {@link #holdReaderForTest()}, as a poller does. */
    void releaseReaderForTest()
    {
        releaseAsPoller(false);
    }

    /**
     * @return true when the calling thread is the one busy-polling a queue this connection feeds, so
     *         what it posts may wait for its next poll (which writes it together with what follows).
     *         Should it stop polling without arming, the reactor writes it at its next tick.
     */
    boolean mayDefer()
    {
        return pollerDriven && Thread.currentThread() == poller;
    }

    /** At each poll: write deferred requests, and what an earlier poll left owed (ACK, NAK, read response). */
    void flushOwed()
    {
        if (writer.wantsPollerFlush())
        {
            writer.flushFromPoller();
        }
    }

    /** A waiter reading the socket itself is about to sleep in its selector: what is owed goes now. */
    void flushBeforeWait()
    {
        if (writer.hasWork())
        {
            writer.flushFromPoller();
        }
    }

    /** @param watching a waiter sleeps watching this socket: its polling has not stopped, however long. */
    void waiterWatching(final boolean watching)
    {
        waiterWatching = watching;
    }

    /** The application stops busy-polling (it arms the CQ to block): the reactor reads again at once. */
    void pollerLeaving()
    {
        if (writer.hasWork())
        {
            writer.flushFromPoller();
        }
        // Until it polls again, its posts are written at once.
        poller = null;
        if (pollerDriven)
        {
            connection.schedule(TcpConnection.TASK_POLLER_GONE);
        }
    }

    /** Reactor: OP_READ fired. */
    void onReadable()
    {
        if (!stalled && null != connection.dataQueuePair() && pollerDriven)
        {
            // A thread busy-polls and reads the socket itself: stop waking the reactor per message.
            pollerStart();
            return;
        }
        if (reading.compareAndSet(false, true))
        {
            readAndProcess();
            return;
        }
        // The poller holds the reader, perhaps descheduled in the middle of a read (which is how its polls
        // stopped long enough for us to take reading back): OP_READ is level-triggered and would wake us at
        // once again for as long as it holds it, a busy thread on a machine already short of cores. Stop
        // reading until it hands the reader back; the resume then parses and turns OP_READ on again.
        final SelectionKey key = connection.key();
        if (key.isValid())
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        onResume();
    }

    /** Reactor: a receive was posted, or a poller saw a stall; parse what is buffered. */
    void onResume()
    {
        // Flag first, then try: either this CAS succeeds or the poller, releasing the reader after it,
        // sees the flag and schedules the resume again (both volatile: one of them sees the other).
        resumeWanted = true;
        if (!reading.compareAndSet(false, true))
        {
            return;
        }
        resumeWanted = false;
        final int result;
        try
        {
            result = reader.parse();
        }
        finally
        {
            reading.set(false);
        }
        if (FrameReader.STALLED != result)
        {
            stalled = false;
            rnrDeadlineNs = 0;
        }
        afterRead(result);
    }

    /** Reactor: a poller started polling. */
    void pollerStart()
    {
        final SelectionKey key = connection.key();
        if (!pollerDriven || !key.isValid())
        {
            // It stopped again before the reactor got here; its next poll starts over.
            return;
        }
        polledSeen = polls;
        polledChangedNs = System.nanoTime();
        polledCheckedNs = polledChangedNs;
        if (!stalled)
        {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
        connection.reactor().addTimed(connection);
    }

    /** Reactor: the poller armed its CQ. */
    void pollerGone()
    {
        if (pollerDriven)
        {
            stopPollerDriven();
        }
    }

    private void readAndProcess()
    {
        final int result;
        try
        {
            result = reader.onReadable();
        }
        catch (final IOException ex)
        {
            reading.set(false);
            connection.onTransportFailure(ex);
            return;
        }
        reading.set(false);
        afterRead(result);
    }

    private void afterRead(final int result)
    {
        if (FrameReader.CLOSED == result || !connection.isOpen())
        {
            return;
        }
        final SelectionKey key = connection.key();
        if (FrameReader.STALLED == result)
        {
            final int retries = peerRnrRetry;
            if (0 == retries)
            {
                refuseStalled();
                return;
            }
            stalled = true;
            // Keep reading into the buffer while it has room, so a dead peer's FIN/RST is still seen;
            // only a full buffer turns reading off (back-pressure), until a receive is posted.
            final int ops = key.interestOps();
            final int wanted = reader.isFull() ? ops & ~SelectionKey.OP_READ : ops | SelectionKey.OP_READ;
            if (wanted != ops)
            {
                key.interestOps(wanted);
            }
            if (RNR_RETRY_INFINITE != retries && 0 == rnrDeadlineNs)
            {
                rnrDeadlineNs = System.nanoTime() + retries * RNR_RETRY_DELAY_NS;
                connection.reactor().addTimed(connection);
            }
        }
        else if (0 == (key.interestOps() & SelectionKey.OP_READ))
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        if (writer.hasWork())
        {
            connection.flush();
        }
    }

    private void refuseStalled()
    {
        if (!reading.compareAndSet(false, true))
        {
            return;
        }
        final int result;
        try
        {
            result = reader.refuseStalled();
        }
        finally
        {
            reading.set(false);
        }
        afterRead(result);
    }

    /** @return the earliest RNR or poller deadline, or 0. */
    long deadlineNs()
    {
        long earliest = rnrDeadlineNs;
        if (pollerDriven)
        {
            // The next tick: whether the poller still polls, and whether it left writes behind.
            final long pollNs = ((polledCheckedNs >> POLLER_TICK_SHIFT) + 1) << POLLER_TICK_SHIFT;
            earliest = 0 == earliest || pollNs - earliest < 0 ? pollNs : earliest;
        }
        return earliest;
    }

    /** @param nowNs the reactor's clock: run the RNR and poller deadlines that passed. */
    void onDeadline(final long nowNs)
    {
        if (0 != rnrDeadlineNs && stalled && nowNs - rnrDeadlineNs >= 0)
        {
            stalled = false;
            rnrDeadlineNs = 0;
            refuseStalled();
        }
        if (pollerDriven && connection.isOpen())
        {
            // While the poller polls, it flushes what it owes itself: the reactor keeps off the writer's
            // lock (a preempted lock holder would stall the poster for a scheduler slice).
            polledCheckedNs = nowNs;
            final int p = polls;
            if (p != polledSeen)
            {
                polledSeen = p;
                polledChangedNs = nowNs;
            }
            else if (nowNs - polledChangedNs >= pollerGraceNs && !waiterWatching)
            {
                stopPollerDriven();
            }
            else if (writer.hasWork())
            {
                // No poll since the last look: what it deferred (or owes) must not wait for its return.
                connection.flush();
            }
        }
    }

    private void stopPollerDriven()
    {
        pollerDriven = false;
        final SelectionKey key = connection.key();
        if (!key.isValid())
        {
            return;
        }
        if (!stalled || !reader.isFull())
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        if (reading.compareAndSet(false, true))
        {
            readAndProcess();
        }
        else
        {
            // The poller is reading right now, and what it executes may owe an ACK after any flush
            // here: parse again once it lets go (it hands the resume back), which flushes what is owed.
            onResume();
        }
    }

    /** @return who reads and why not, read without synchronization (diagnostics). */
    String describe()
    {
        final Thread p = poller;
        return "inbound: reading=" + reading.get() + " stalled=" + stalled + " pollerDriven=" + pollerDriven +
            " polls=" + polls + " poller=" + (null == p ? "none" : p.getName()) + " rnrDeadlineNs=" + rnrDeadlineNs;
    }
}
