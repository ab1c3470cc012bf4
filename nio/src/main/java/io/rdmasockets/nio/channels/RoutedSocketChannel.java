package io.rdmasockets.nio.channels;

import io.rdmasockets.nio.Router;
import io.rdmasockets.rsocket.engine.OptionValues;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link SocketChannel} that becomes an rsocket or a kernel TCP socket when bind or connect gives it an
 * address, as its {@link Router} decides. Until then options are kept and applied to whichever it becomes
 * (an option the rsocket stack lacks, such as {@code IP_TOS}, is dropped then: the application asked for
 * it before knowing the stack). A kernel socket delegates every call to a JDK channel.
 *
 * <p>Locking, as the JDK's: readers serialise on the read lock, writers on the write lock, so a blocked
 * read never blocks a write; state changes (bind, connect, shutdown, close) take the state lock briefly.
 */
final class RoutedSocketChannel extends SocketChannel implements HybridChannel
{
    final Stacks stacks;
    final ProtocolFamily family;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    final Object stateLock = new Object();
    final KeyList keys = new KeyList();
    final RsocketTransfer transfer = new RsocketTransfer(this);
    final ChannelOptions options = new ChannelOptions(OptionValues.SOCKET_OPTIONS, KernelDefaults.socketOptions());
    volatile SocketChannel kernel;
    volatile StreamRsocket rs;
    volatile boolean blocking = true;
    volatile boolean connected;
    volatile boolean connectPending;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    volatile InetSocketAddress remote;
    /** Bytes read from a plain TCP connection before it was handed over; read before the kernel socket's. */
    private volatile ByteBuffer received;
    private SocketAdaptor adaptor;
    /** Bind, connect and the fallback to TCP. */
    private final RoutedConnect connector = new RoutedConnect(this);

    RoutedSocketChannel(final SelectorProvider provider, final Stacks stacks, final ProtocolFamily family)
    {
        super(provider);
        this.stacks = stacks;
        this.family = family;
    }

    /** An accepted rsocket: connected and blocking, as the JDK's accepted channels. */
    RoutedSocketChannel(final SelectorProvider provider, final Stacks stacks, final StreamRsocket accepted)
    {
        this(provider, stacks, (ProtocolFamily)null);
        this.rs = accepted;
        accepted.nonblocking(false);
        this.connected = true;
        this.remote = accepted.peerAddress();
    }

    /** An accepted kernel socket. */
    RoutedSocketChannel(final SelectorProvider provider, final Stacks stacks, final SocketChannel accepted)
        throws IOException
    {
        this(provider, stacks, accepted, null);
    }

    /**
     * A plain TCP client accepted on a port shared with rsockets.
     *
     * @param received the bytes read from it already, or null.
     */
    RoutedSocketChannel(final SelectorProvider provider, final Stacks stacks, final SocketChannel accepted,
        final byte[] received) throws IOException
    {
        this(provider, stacks, (ProtocolFamily)null);
        accepted.configureBlocking(true);
        this.kernel = accepted;
        this.connected = true;
        this.received = null == received || 0 == received.length ? null : ByteBuffer.wrap(received);
    }

    /**
     * Moves bytes read before the hand-over into {@code dst}.
     *
     * @return how many; 0 once there are none left.
     */
    private int takeReceived(final ByteBuffer dst)
    {
        final ByteBuffer r = received;
        if (null == r)
        {
            return 0;
        }
        synchronized (r)
        {
            final int n = Math.min(r.remaining(), dst.remaining());
            dst.put(dst.position(), r, r.position(), n);
            dst.position(dst.position() + n);
            r.position(r.position() + n);
            if (!r.hasRemaining())
            {
                received = null;
            }
            return n;
        }
    }

    @Override
    public int pendingOps(final int interest)
    {
        final ByteBuffer r = received;
        return (null != r && r.hasRemaining() ? interest & SelectionKey.OP_READ : 0) |
            connector.pendingConnectOps(interest);
    }

    // ---------------------------------------------------------------------------------------- HybridChannel

    @Override
    public SelectableChannel kernel()
    {
        return kernel;
    }

    @Override
    public StreamRsocket rsocket()
    {
        return rs;
    }

    @Override
    public int readyOps(final int events, final int interest)
    {
        if (connectPending && 0 != (events & (StreamRsocket.POLLERR | StreamRsocket.POLLHUP)) &&
            connector.fallBackOnReadiness())
        {
            // Now a kernel connect: the JDK selector inside reports OP_CONNECT when it is done, or the channel
            // itself when it ended at once.
            return pendingOps(interest);
        }
        if (0 != (events & (StreamRsocket.POLLERR | StreamRsocket.POLLHUP)))
        {
            return interest;
        }
        int ops = 0;
        if (connectPending)
        {
            if (0 != (events & StreamRsocket.POLLOUT))
            {
                ops |= SelectionKey.OP_CONNECT;
            }
            return ops & interest;
        }
        if (connected)
        {
            if (0 != (events & StreamRsocket.POLLIN))
            {
                ops |= SelectionKey.OP_READ;
            }
            if (0 != (events & StreamRsocket.POLLOUT))
            {
                ops |= SelectionKey.OP_WRITE;
            }
        }
        return ops & interest;
    }

    @Override
    public void keyAdded(final HybridKey key)
    {
        keys.add(key);
    }

    @Override
    public void keyRemoved(final HybridKey key)
    {
        keys.remove(key);
    }

    void ensureOpen() throws ClosedChannelException
    {
        if (!isOpen())
        {
            throw new ClosedChannelException();
        }
    }

    // ---------------------------------------------------------------------------------------- setup

    @Override
    public SocketChannel bind(final SocketAddress local) throws IOException
    {
        return connector.bind(local);
    }

    @Override
    public boolean connect(final SocketAddress address) throws IOException
    {
        return connector.connect(address);
    }

    /**
     * The socket adaptor's blocking connect with a time limit.
     *
     * @param address   the peer.
     * @param timeoutMs the limit, 0 for none.
     * @throws IOException as {@link #connect(SocketAddress)}, or {@link SocketTimeoutException}.
     */
    void connect(final SocketAddress address, final int timeoutMs) throws IOException
    {
        connector.connect(address, timeoutMs);
    }

    @Override
    public boolean finishConnect() throws IOException
    {
        return connector.finishConnect();
    }

    // ---------------------------------------------------------------------------------------- data

    @Override
    public int read(final ByteBuffer dst) throws IOException
    {
        Objects.requireNonNull(dst);
        RsocketSupport.checkWritable(dst);
        final SocketChannel k = kernel;
        if (null != k)
        {
            return kernelRead(k, dst);
        }
        readLock.lock();
        try
        {
            final StreamRsocket s = readable();
            if (null == s)
            {
                return -1;
            }
            return transfer.read(s, dst, blocking, 0);
        }
        finally
        {
            readLock.unlock();
        }
    }

    @Override
    public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
    {
        Objects.checkFromIndexSize(offset, length, dsts.length);
        final SocketChannel k = kernel;
        if (null != k)
        {
            if (null != received)
            {
                long taken = 0;
                for (int i = offset; i < offset + length; i++)
                {
                    RsocketSupport.checkWritable(dsts[i]);
                    taken += takeReceived(dsts[i]);
                }
                if (taken > 0)
                {
                    return taken;
                }
            }
            try
            {
                return k.read(dsts, offset, length);
            }
            catch (final AsynchronousCloseException e)
            {
                close();
                throw e;
            }
        }
        for (int i = offset; i < offset + length; i++)
        {
            RsocketSupport.checkWritable(dsts[i]);
        }
        readLock.lock();
        try
        {
            final StreamRsocket s = readable();
            if (null == s)
            {
                return -1;
            }
            long total = 0;
            for (int i = offset; i < offset + length; i++)
            {
                if (!dsts[i].hasRemaining())
                {
                    continue;
                }
                // Only the first read may wait: after bytes arrived, take what is there.
                final int n = transfer.read(s, dsts[i], blocking && 0 == total, 0);
                if (n < 0)
                {
                    return 0 == total ? -1 : total;
                }
                total += n;
                if (dsts[i].hasRemaining())
                {
                    break;
                }
            }
            return total;
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** @return the rsocket to read, or null at end of stream (input shut down); throws when not connected. */
    private StreamRsocket readable() throws IOException
    {
        ensureOpen();
        if (!connected)
        {
            throw new NotYetConnectedException();
        }
        return inputShutdown ? null : rs;
    }

    private int kernelRead(final SocketChannel k, final ByteBuffer dst) throws IOException
    {
        if (null != received && dst.hasRemaining())
        {
            final int n = takeReceived(dst);
            if (n > 0)
            {
                return n;
            }
        }
        try
        {
            return k.read(dst);
        }
        catch (final AsynchronousCloseException e)
        {
            close();
            throw e;
        }
    }

    @Override
    public int write(final ByteBuffer src) throws IOException
    {
        Objects.requireNonNull(src);
        final SocketChannel k = kernel;
        if (null != k)
        {
            try
            {
                return k.write(src);
            }
            catch (final AsynchronousCloseException e)
            {
                close();
                throw e;
            }
        }
        writeLock.lock();
        try
        {
            return transfer.write(writable(), src, blocking);
        }
        finally
        {
            writeLock.unlock();
        }
    }

    @Override
    public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
    {
        Objects.checkFromIndexSize(offset, length, srcs.length);
        final SocketChannel k = kernel;
        if (null != k)
        {
            try
            {
                return k.write(srcs, offset, length);
            }
            catch (final AsynchronousCloseException e)
            {
                close();
                throw e;
            }
        }
        writeLock.lock();
        try
        {
            final StreamRsocket s = writable();
            long total = 0;
            for (int i = offset; i < offset + length; i++)
            {
                if (!srcs[i].hasRemaining())
                {
                    continue;
                }
                final int n = transfer.write(s, srcs[i], blocking);
                total += n;
                if (srcs[i].hasRemaining())
                {
                    break;
                }
            }
            return total;
        }
        finally
        {
            writeLock.unlock();
        }
    }

    private StreamRsocket writable() throws IOException
    {
        ensureOpen();
        if (!connected)
        {
            throw new NotYetConnectedException();
        }
        if (outputShutdown)
        {
            throw new java.nio.channels.ClosedChannelException();
        }
        return rs;
    }

    // ---------------------------------------------------------------------------------------- state

    @Override
    public SocketChannel shutdownInput() throws IOException
    {
        return shutdown(true);
    }

    @Override
    public SocketChannel shutdownOutput() throws IOException
    {
        return shutdown(false);
    }

    private SocketChannel shutdown(final boolean input) throws IOException
    {
        synchronized (stateLock)
        {
            ensureOpen();
            if (!connected)
            {
                throw new NotYetConnectedException();
            }
            final SocketChannel k = kernel;
            if (null != k)
            {
                if (input)
                {
                    k.shutdownInput();
                }
                else
                {
                    k.shutdownOutput();
                }
            }
            else if (!(input ? inputShutdown : outputShutdown))
            {
                final int rc = rs.shutdown(input ? StreamRsocket.SHUT_RD : StreamRsocket.SHUT_WR);
                if (rc < 0)
                {
                    throw RsocketSupport.exception(-rc, input ? "shutdownInput" : "shutdownOutput");
                }
            }
            if (input)
            {
                inputShutdown = true;
            }
            else
            {
                outputShutdown = true;
            }
            return this;
        }
    }

    @Override
    public Socket socket()
    {
        synchronized (stateLock)
        {
            if (null == adaptor)
            {
                try
                {
                    adaptor = new SocketAdaptor(this);
                }
                catch (final java.net.SocketException e)
                {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return adaptor;
        }
    }

    /**
     * The socket adaptor's read: blocking, with its {@code SO_TIMEOUT}.
     *
     * @param dst       a heap buffer.
     * @param timeoutMs how long to wait for data, 0 without limit.
     * @return bytes read, or -1 at end of stream.
     * @throws IOException {@link SocketTimeoutException} when the time ran out, or as {@link #read(ByteBuffer)}.
     */
    int blockingRead(final ByteBuffer dst, final int timeoutMs) throws IOException
    {
        if (!blocking)
        {
            throw new IllegalBlockingModeException();
        }
        final SocketChannel k = kernel;
        if (null != k)
        {
            if (0 == timeoutMs || (null != received && dst.hasRemaining()))
            {
                // Bytes read before the hand-over are there already: no wait to time.
                return kernelRead(k, dst);
            }
            k.socket().setSoTimeout(timeoutMs);
            final int n = k.socket().getInputStream().read(dst.array(), dst.arrayOffset() + dst.position(),
                dst.remaining());
            if (n > 0)
            {
                dst.position(dst.position() + n);
            }
            return n;
        }
        if (0 == timeoutMs)
        {
            return read(dst);
        }
        readLock.lock();
        try
        {
            final StreamRsocket s = readable();
            if (null == s)
            {
                return -1;
            }
            return transfer.read(s, dst, true, timeoutMs);
        }
        finally
        {
            readLock.unlock();
        }
    }

    /** @return bytes readable without blocking (the adaptor's {@code available()}). */
    int available() throws IOException
    {
        ensureOpen();
        final SocketChannel k = kernel;
        if (null != k)
        {
            final ByteBuffer r = received;
            return (null == r ? 0 : r.remaining()) + k.socket().getInputStream().available();
        }
        final StreamRsocket s = rs;
        return null == s || !connected || inputShutdown ? 0 : (int)Math.min(Integer.MAX_VALUE, s.available());
    }

    /** Enters a blocking call, for {@link RsocketTransfer}: an interrupt now closes the channel. */
    void beginBlocking()
    {
        begin();
    }

    /**
     * Leaves a blocking call, for {@link RsocketTransfer}.
     *
     * @param completed whether it did what it was called for.
     * @throws java.nio.channels.AsynchronousCloseException when closed meanwhile (by an interrupt: its subclass).
     */
    void endBlocking(final boolean completed) throws java.nio.channels.AsynchronousCloseException
    {
        end(completed);
    }

    /** @return the remote address given to connect, for messages. */
    InetSocketAddress remote()
    {
        return remote;
    }

    /** @return whether input was shut down. */
    boolean isInputShutdown()
    {
        return inputShutdown;
    }

    /** @return whether output was shut down. */
    boolean isOutputShutdown()
    {
        return outputShutdown;
    }

    @Override
    public boolean isConnected()
    {
        return connected;
    }

    @Override
    public boolean isConnectionPending()
    {
        return connectPending;
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException
    {
        ensureOpen();
        final SocketChannel k = kernel;
        if (null != k)
        {
            return k.getRemoteAddress();
        }
        return connected ? remote : null;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException
    {
        ensureOpen();
        return localAddressOrNull();
    }

    SocketAddress localAddressOrNull() throws IOException
    {
        final SocketChannel k = kernel;
        if (null != k)
        {
            return k.getLocalAddress();
        }
        final StreamRsocket s = rs;
        return null == s ? null : s.localAddress();
    }

    @Override
    public <T> SocketChannel setOption(final SocketOption<T> name, final T value) throws IOException
    {
        Objects.requireNonNull(name);
        synchronized (stateLock)
        {
            ensureOpen();
            options.set(kernel, rs, name, value);
            return this;
        }
    }

    @Override
    public <T> T getOption(final SocketOption<T> name) throws IOException
    {
        Objects.requireNonNull(name);
        synchronized (stateLock)
        {
            ensureOpen();
            return options.get(kernel, rs, name);
        }
    }

    @Override
    public Set<SocketOption<?>> supportedOptions()
    {
        return options.supported(kernel, rs);
    }

    // ---------------------------------------------------------------------------------------- close

    @Override
    protected void implCloseSelectableChannel() throws IOException
    {
        synchronized (stateLock)
        {
            connectPending = false;
            final SocketChannel k = kernel;
            if (null != k)
            {
                k.close();
            }
            final StreamRsocket s = rs;
            if (null != s)
            {
                // Wakes threads blocked in it (they return EBADF) and any selector watching it.
                s.close();
            }
        }
    }

    @Override
    protected void implConfigureBlocking(final boolean block) throws IOException
    {
        synchronized (stateLock)
        {
            if (block)
            {
                keys.releaseCancelled();
            }
            final SocketChannel k = kernel;
            if (null != k)
            {
                k.configureBlocking(block);
            }
            final StreamRsocket s = rs;
            if (null != s)
            {
                s.nonblocking(!block);
            }
            blocking = block;
        }
    }

    @Override
    public String toString()
    {
        final SocketChannel k = kernel;
        final StreamRsocket s = rs;
        final String stack = null != k ? "kernel " + k : null != s ? "rsocket " + s : "undecided";
        return "RoutedSocketChannel[" + (isOpen() ? "" : "closed, ") + stack + "]";
    }
}
