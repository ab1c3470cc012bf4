package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.WcStatus;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;

/**
 * One TCP connection: the transport of one RC queue pair and of its CM handshake. It owns a
 * {@link FrameReader} and a {@link FrameWriter} and is driven by one {@link Reactor}. The CM state
 * machine lives in {@link CmHandshake}; this class handles the socket, reactor events and failures.
 *
 * <p>Failure: a broken socket (RST, EOF, keepalive timeout) fails the first outstanding send with
 * RETRY_EXC_ERR, flushes the rest, and reports DISCONNECTED (or the handshake's failure event).
 */
final class TcpConnection extends ReactorHandler
{
    private static final int TASK_REGISTER = 1;
    private static final int TASK_RESUME = 2;
    private static final int TASK_FLUSH = 4;
    private static final int RNR_RETRY_INFINITE = 7;
    /** Time one RNR retry is worth (IB's RNR NAK timer is configurable; this is a round figure). */
    private static final long RNR_RETRY_DELAY_NS = 10_000_000L;
    private static final int TASK_POLLER_GONE = 8;
    private static final int TASK_POLLER_START = 16;
    /** How long after its last poll a busy-polling thread is trusted to keep reading the socket. */
    private static final long POLLER_GRACE_NS = 2_000_000L;
    private static final java.util.function.IntBinaryOperator OR = (a, b) -> a | b;

    private final SocketChannel channel;
    private final Reactor reactor;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final CmHandshake handshake;
    private final AtomicInteger tasks = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Held by whichever thread runs the reader: the reactor, or a thread busy-polling a CQ. */
    private final AtomicBoolean reading = new AtomicBoolean();
    private final boolean connecting;
    private SelectionKey key;
    private volatile boolean stalled;
    private volatile boolean registered;
    /** When a thread last ran the reader from a completion-queue poll. */
    private volatile long lastPollNs;
    /** True while the reactor leaves reading to a busy poller (OP_READ off, timer on). */
    private volatile boolean pollerDriven;
    private long rnrDeadlineNs;
    private volatile int peerRnrRetry = RNR_RETRY_INFINITE;
    private volatile TcpQueuePair queuePair;

    private TcpConnection(final SocketChannel channel, final TcpRuntime runtime, final boolean connecting,
        final CmHandshake.Role role)
    {
        this.channel = channel;
        this.connecting = connecting;
        this.reactor = runtime.nextReactor();
        final int length = TcpConfiguration.bufferLength();
        this.reader = new FrameReader(this, channel, length, runtime.rkeys());
        this.writer = new FrameWriter(this, channel, length);
        this.handshake = new CmHandshake(this, role);
    }

    /**
     * Starts an active connection: TCP connect, then REQ.
     *
     * @param id          the connecting id.
     * @param source      local address to bind, or null.
     * @param destination peer.
     * @param request     the REQ frame.
     * @return the connection.
     * @throws IOException when the socket cannot even be created.
     */
    static TcpConnection connect(final TcpCmId id, final InetSocketAddress source, final InetSocketAddress destination,
        final byte[] request) throws IOException
    {
        final SocketChannel channel = SocketChannel.open();
        try
        {
            TcpSocketOptions.configure(channel);
            if (null != source)
            {
                channel.bind(source);
            }
            final boolean done = channel.connect(destination);
            final TcpConnection c = new TcpConnection(channel, TcpRuntime.instance(), !done, CmHandshake.Role.ACTIVE);
            c.handshake.startActive(id);
            c.writer.enqueueControl(request);
            c.register();
            return c;
        }
        catch (final IOException | RuntimeException ex)
        {
            channel.close();
            throw ex;
        }
    }

    /**
     * Adopts an accepted socket; the peer has the handshake timeout to send a valid REQ.
     *
     * @param listener the listener that accepted it.
     * @param channel  the socket.
     * @throws IOException when it cannot be configured.
     */
    static void accepted(final TcpListener listener, final SocketChannel channel) throws IOException
    {
        TcpSocketOptions.configure(channel);
        final TcpConnection c = new TcpConnection(channel, TcpRuntime.instance(), false, CmHandshake.Role.PASSIVE);
        c.handshake.startPassive(listener);
        c.register();
    }

    private void register()
    {
        reactor.acquire();
        tasks.accumulateAndGet(TASK_REGISTER, OR);
        reactor.schedule(this);
    }

    FrameWriter writer()
    {
        return writer;
    }

    CmHandshake handshake()
    {
        return handshake;
    }

    Reactor reactor()
    {
        return reactor;
    }

    /** @return the queue pair once data may flow (after REP on the active side, accept on the passive). */
    TcpQueuePair dataQueuePair()
    {
        return queuePair;
    }

    /** @param qp attached for data; the writer starts transmitting its send queue. */
    void attach(final TcpQueuePair qp)
    {
        writer.attach(qp);
        queuePair = qp;
    }

    InetSocketAddress localAddress()
    {
        try
        {
            return (InetSocketAddress)channel.getLocalAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    InetSocketAddress remoteAddress()
    {
        try
        {
            return (InetSocketAddress)channel.getRemoteAddress();
        }
        catch (final IOException ex)
        {
            return null;
        }
    }

    boolean isOpen()
    {
        return !closed.get();
    }

    /**
     * From a thread polling a completion queue this connection feeds: read and process what the
     * socket has, unless another thread is reading or the stream waits for a receive.
     */
    void progressFromPoller()
    {
        if (stalled || !registered || closed.get())
        {
            return;
        }
        lastPollNs = System.nanoTime();
        if (!pollerDriven)
        {
            // Once per polling phase: the reactor stops reading this socket and starts a timer that
            // flushes owed ACKs and takes reading back when the polling stops.
            pollerDriven = true;
            tasks.accumulateAndGet(TASK_POLLER_START, OR);
            reactor.schedule(this);
        }
        if (!reading.compareAndSet(false, true))
        {
            return;
        }
        int result;
        try
        {
            result = reader.onReadable();
        }
        catch (final IOException | RuntimeException ex)
        {
            reading.set(false);
            onTransportFailure(ex);
            return;
        }
        reading.set(false);
        if (FrameReader.STALLED == result)
        {
            // Interest ops belong to the reactor: let it re-check and switch reading off.
            resumeReceiving();
        }
        // A standalone ACK waits for the poller's next poll (or the reactor's timer): by then the
        // application has usually answered, and the answer carries the ACK. NAKs and reads go now.
        if (writer.hasUrgentWorkBesidesAck())
        {
            writer.flushFromPoster();
        }
    }

    /** Before a poll: send what an earlier poll left owed (a standalone ACK, a NAK, a read response). */
    void flushOwed()
    {
        if (writer.hasUrgentWork())
        {
            writer.flushFromPoster();
        }
    }

    /** The application stops busy-polling (it arms the CQ to block): the reactor reads again at once. */
    void pollerLeaving()
    {
        flushOwed();
        if (pollerDriven)
        {
            lastPollNs = 0;
            tasks.accumulateAndGet(TASK_POLLER_GONE, OR);
            reactor.schedule(this);
        }
    }

    /** From a posting thread: a receive was posted while the inbound stream waited for one. */
    void resumeReceiving()
    {
        tasks.accumulateAndGet(TASK_RESUME, OR);
        reactor.schedule(this);
    }

    /** From a posting thread: the writer has more than it may write on that thread. */
    void scheduleFlush()
    {
        tasks.accumulateAndGet(TASK_FLUSH, OR);
        reactor.schedule(this);
    }

    @Override
    void onScheduled()
    {
        final int t = tasks.getAndSet(0);
        if (closed.get())
        {
            return;
        }
        if (0 != (t & TASK_REGISTER))
        {
            try
            {
                key = channel.register(reactor.selector(), connecting ? SelectionKey.OP_CONNECT : SelectionKey.OP_READ,
                    this);
            }
            catch (final ClosedChannelException ex)
            {
                onTransportFailure(ex);
                return;
            }
            if (0 != handshake.deadlineNs())
            {
                reactor.addTimed(this);
            }
            registered = true;
            if (!connecting)
            {
                flush();
            }
        }
        if (0 != (t & TASK_RESUME) && null != key)
        {
            // Parse what is buffered whether or not this thread saw the stall: a poller may have.
            if (reading.compareAndSet(false, true))
            {
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
            else
            {
                tasks.accumulateAndGet(TASK_RESUME, OR);
                reactor.schedule(this);
            }
        }
        if (0 != (t & TASK_FLUSH) && null != key)
        {
            flush();
        }
        if (0 != (t & TASK_POLLER_GONE) && null != key && pollerDriven)
        {
            stopPollerDriven();
        }
        if (0 != (t & TASK_POLLER_START) && null != key && pollerDriven)
        {
            if (!stalled)
            {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
            reactor.addTimed(this);
        }
    }

    @Override
    void onReady(final int readyOps)
    {
        if (0 != (readyOps & SelectionKey.OP_CONNECT))
        {
            finishConnect();
            return;
        }
        if (0 != (readyOps & SelectionKey.OP_READ) && null != queuePair &&
            System.nanoTime() - lastPollNs < POLLER_GRACE_NS)
        {
            // A thread busy-polls a CQ this connection feeds and reads the socket itself: stop waking
            // the reactor for every message; a timer hands reading back when the polling stops.
            pollerDriven = true;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            reactor.addTimed(this);
        }
        else if (0 != (readyOps & SelectionKey.OP_READ) && reading.compareAndSet(false, true))
        {
            final int result;
            try
            {
                result = reader.onReadable();
            }
            catch (final IOException ex)
            {
                reading.set(false);
                onTransportFailure(ex);
                return;
            }
            reading.set(false);
            afterRead(result);
        }
        if (0 != (readyOps & SelectionKey.OP_WRITE) && !closed.get())
        {
            flush();
        }
    }

    private void finishConnect()
    {
        try
        {
            channel.finishConnect();
            key.interestOps(SelectionKey.OP_READ);
            flush();
        }
        catch (final ConnectException ex)
        {
            // Nothing listens on that port: what IB reports as an invalid service id.
            handshake.onConnectRefused();
            closeQuietly();
        }
        catch (final IOException ex)
        {
            onTransportFailure(ex);
        }
    }

    private void afterRead(final int result)
    {
        if (FrameReader.CLOSED == result || closed.get())
        {
            return;
        }
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
                reactor.addTimed(this);
            }
        }
        else if (0 == (key.interestOps() & SelectionKey.OP_READ))
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        if (writer.hasUrgentWork())
        {
            flush();
        }
    }

    private void flush()
    {
        final boolean more = writer.flushFromReactor();
        if (closed.get() || !key.isValid())
        {
            return;
        }
        final int ops = key.interestOps();
        final int wanted = more ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
        if (wanted != ops)
        {
            key.interestOps(wanted);
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

    /** @param retries the peer's RNR retry count from its REQ/REP: how long its requests may wait here. */
    void peerRnrRetry(final int retries)
    {
        peerRnrRetry = retries;
    }

    @Override
    long deadlineNs()
    {
        final long handshakeNs = handshake.deadlineNs();
        if (0 != handshakeNs)
        {
            return handshakeNs;
        }
        long earliest = rnrDeadlineNs;
        if (pollerDriven)
        {
            final long pollNs = lastPollNs + POLLER_GRACE_NS;
            earliest = 0 == earliest || pollNs - earliest < 0 ? pollNs : earliest;
        }
        return earliest;
    }

    @Override
    void onDeadline()
    {
        final long now = System.nanoTime();
        final long handshakeNs = handshake.deadlineNs();
        if (0 != handshakeNs)
        {
            if (now - handshakeNs >= 0)
            {
                handshake.onTimeout();
                closeQuietly();
            }
            else
            {
                reactor.addTimed(this);
            }
            return;
        }
        if (0 != rnrDeadlineNs && stalled && now - rnrDeadlineNs >= 0)
        {
            stalled = false;
            rnrDeadlineNs = 0;
            refuseStalled();
        }
        if (pollerDriven && !closed.get())
        {
            if (now - lastPollNs >= POLLER_GRACE_NS)
            {
                stopPollerDriven();
            }
            else
            {
                flushOwed();
            }
        }
        if (!closed.get() && 0 != deadlineNs())
        {
            reactor.addTimed(this);
        }
    }

    private void stopPollerDriven()
    {
        pollerDriven = false;
        if (!stalled || !reader.isFull())
        {
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
        if (reading.compareAndSet(false, true))
        {
            final int result;
            try
            {
                result = reader.onReadable();
            }
            catch (final IOException ex)
            {
                reading.set(false);
                onTransportFailure(ex);
                return;
            }
            reading.set(false);
            afterRead(result);
        }
        else
        {
            flush();
        }
    }

    /**
     * A CM frame arrived (reactor thread).
     *
     * @return false when the connection was closed.
     */
    boolean onCmFrame(final int type, final int status, final MemorySegment s, final long body, final int length)
    {
        final boolean keep = handshake.onFrame(type, status, s, body, length);
        if (0 == deadlineNs())
        {
            reactor.removeTimed(this);
        }
        return keep && !closed.get();
    }

    /** @param what an impossible frame on an established connection, or garbage during the handshake. */
    void onProtocolError(final String what)
    {
        final TcpQueuePair qp = queuePair;
        if (null != qp)
        {
            qp.fail(WcStatus.WR_FLUSH_ERR.code());
        }
        handshake.onTransportLost(Errno.EPROTO);
        closeQuietly();
    }

    /** @param cause the socket failed or reached end of stream. */
    void onTransportFailure(final Throwable cause)
    {
        if (closed.get())
        {
            return;
        }
        final TcpQueuePair qp = queuePair;
        if (null != qp)
        {
            qp.fail(WcStatus.RETRY_EXC_ERR.code());
        }
        final Errno errno = cause instanceof NoRouteToHostException ? Errno.EHOSTUNREACH :
            cause instanceof ConnectException ? Errno.ECONNREFUSED : Errno.ECONNRESET;
        handshake.onTransportLost(errno);
        closeQuietly();
    }

    @Override
    void onFailure(final Throwable cause)
    {
        onTransportFailure(cause);
    }

    /** The queue pair was destroyed: drop the connection, the peer sees its requests fail. */
    void onQueuePairClosed()
    {
        handshake.onQueuePairClosed();
        closeQuietly();
    }

    /** Closes the socket and releases the reactor; idempotent, any thread. */
    void closeQuietly()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        try
        {
            channel.close();
        }
        catch (final IOException ignore)
        {
            // Closing is best effort; the descriptor is released either way.
        }
        final TcpQueuePair qp = queuePair;
        if (null != qp)
        {
            qp.detachFeeder(this);
        }
        handshake.onClosed();
        reactor.release();
    }

    @Override
    public String toString()
    {
        return "TcpConnection[" + localAddress() + " -> " + remoteAddress() + "]";
    }
}
