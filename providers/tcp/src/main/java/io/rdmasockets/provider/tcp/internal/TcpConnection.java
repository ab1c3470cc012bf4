package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;
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
    /** Task: parse buffered input again (a receive was posted, or a poller saw a stall). */
    static final int TASK_RESUME = 2;
    private static final int TASK_FLUSH = 4;
    /** Task: the busy poller left (armed its CQ). */
    static final int TASK_POLLER_GONE = 8;
    /** Task: a busy poller started. */
    static final int TASK_POLLER_START = 16;
    private static final java.util.function.IntBinaryOperator OR = (a, b) -> a | b;

    private final SocketChannel channel;
    private final Reactor reactor;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final CmHandshake handshake;
    private final AtomicInteger tasks = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final InboundControl inbound;
    private final boolean connecting;
    private final TcpRuntime runtime;
    private SelectionKey key;
    private volatile boolean registered;
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
        this.inbound = new InboundControl(this, reader, writer);
        this.runtime = runtime;
        runtime.opened(this);
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
        final SocketChannel channel = PlatformSelectorProvider.get().openSocketChannel();
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
     * @param received bytes already read from it ({@link PortSniffer}), or null.
     * @throws IOException when it cannot be configured.
     */
    static void accepted(final TcpListener listener, final SocketChannel channel, final byte[] received)
        throws IOException
    {
        TcpSocketOptions.configure(channel);
        final TcpConnection c = new TcpConnection(channel, TcpRuntime.instance(), false, CmHandshake.Role.PASSIVE);
        c.handshake.startPassive(listener);
        if (null != received && received.length > 0)
        {
            c.reader.seed(received);
            // Parse them even if the rest of the frame came in with them.
            c.tasks.accumulateAndGet(TASK_RESUME, OR);
        }
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

    FrameReader reader()
    {
        return reader;
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
     * From a thread busy-polling a completion queue this connection feeds, or blocked on a completion channel
     * it feeds ({@link DirectWait}) with its socket readable.
     *
     * @return false when the socket is not this thread's to read (stalled for a receive, closed): a blocked
     *         waiter must leave reading to the reactor and wait for the event.
     */
    boolean progressFromPoller()
    {
        return inbound.fromPoller();
    }

    /** Before a waiter that reads this socket itself sleeps: ACKs and deferred requests go now. */
    void flushBeforeWait()
    {
        inbound.flushBeforeWait();
    }

    /** @param watching a blocked waiter watches the socket in its own selector (the reactor keeps off). */
    void waiterWatching(final boolean watching)
    {
        inbound.waiterWatching(watching);
    }

    /** @return the socket, for a waiter's selector. */
    SocketChannel socket()
    {
        return channel;
    }

    /**
     * From {@code postSend}, after the request is in the send queue: write it now, or leave it for the
     * poster's next poll when it busy-polls.
     *
     * @param length the request's payload bytes.
     */
    void requestPosted(final int length)
    {
        writer.posted(length, inbound.mayDefer() && DeferredWrites.current().add(this));
    }

    /** At a poll: send deferred requests and what an earlier poll left owed. */
    void flushOwed()
    {
        inbound.flushOwed();
    }

    /** The application arms the CQ to block: the reactor reads again. */
    void pollerLeaving()
    {
        inbound.pollerLeaving();
    }

    InboundControl inbound()
    {
        return inbound;
    }

    SelectionKey key()
    {
        return key;
    }

    boolean isRegistered()
    {
        return registered;
    }

    /** @param task a TASK_* bit for the reactor thread. */
    void schedule(final int task)
    {
        tasks.accumulateAndGet(task, OR);
        reactor.schedule(this);
    }

    /** From a posting thread: a receive was posted while the inbound stream waited for one. */
    void resumeReceiving()
    {
        schedule(TASK_RESUME);
    }

    /** From a posting thread: the writer has more than it may write on that thread. */
    void scheduleFlush()
    {
        schedule(TASK_FLUSH);
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
            inbound.onResume();
        }
        if (0 != (t & TASK_FLUSH) && null != key)
        {
            flush();
        }
        if (0 != (t & TASK_POLLER_GONE) && null != key)
        {
            inbound.pollerGone();
        }
        if (0 != (t & TASK_POLLER_START) && null != key)
        {
            inbound.pollerStart();
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
        if (0 != (readyOps & SelectionKey.OP_READ))
        {
            inbound.onReadable();
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

    /** Reactor: writes what the writer has and keeps OP_WRITE in step with what remains. */
    void flush()
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

    /** @param retries the peer's RNR retry count from its REQ/REP. */
    void peerRnrRetry(final int retries)
    {
        inbound.peerRnrRetry(retries);
    }

    @Override
    long deadlineNs()
    {
        final long handshakeNs = handshake.deadlineNs();
        return 0 != handshakeNs ? handshakeNs : inbound.deadlineNs();
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
        inbound.onDeadline(now);
        if (!closed.get() && 0 != deadlineNs())
        {
            reactor.addTimed(this);
        }
    }

    /**
     * A CM frame arrived (reactor thread).
     *
     * @return false when the connection was closed.
     */
    boolean onCmFrame(final int type, final int status, final MemorySegment s, final long body, final int length)
    {
        // May run on a polling thread: the reactor drops handlers without a deadline from its timer
        // list itself.
        final boolean keep = handshake.onFrame(type, status, s, body, length);
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
        runtime.closed(this);
        reactor.release();
    }

    /** @return the transport's state in one paragraph, read without locks (diagnostics). */
    String describe()
    {
        final SelectionKey k = key;
        String ops;
        try
        {
            ops = null == k ? "unregistered" : k.isValid() ? "ops=" + k.interestOps() : "key cancelled";
        }
        catch (final RuntimeException ex)
        {
            ops = "key " + ex;
        }
        final TcpQueuePair qp = queuePair;
        return this + " open=" + isOpen() + " registered=" + registered + " " + ops + " tasks=" + tasks.get() +
            " queued=" + queued.get() + "\n  " + handshake.describe() + "\n  " + inbound.describe() +
            "\n  " + reader.describe() + "\n  " + writer.describe() +
            (null == qp ? "" : "\n  " + qp.describe());
    }

    @Override
    public String toString()
    {
        return "TcpConnection[" + localAddress() + " -> " + remoteAddress() + "]";
    }
}
