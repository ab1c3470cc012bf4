package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.OptionValues;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stream rsocket with the shape of {@link java.net.Socket}: connect, streams, buffer and segment I/O,
 * half close, options. It speaks the librdmacm rsocket protocol, so the peer may be C's {@code rsocket}.
 *
 * <p>Failures are the {@code java.net} exceptions the JDK throws in the same situation, each carrying the
 * errno ({@link ErrnoCarrier}): {@link RdmaConnectException} for a refused or unreachable peer,
 * {@link RdmaSocketTimeoutException} for a connect timeout, {@link RdmaSocketException} otherwise, e.g.
 * {@code EBADF} once closed and {@code EPIPE}/{@code ECONNRESET} when writing to a connection that is gone.
 * A read returns -1 at the end of the stream.
 *
 * <p>Buffer sizes ({@code SO_SNDBUF}, {@code SO_RCVBUF}) and {@link RdmaSocketOptions} are fixed once
 * connecting, as in C; set them before {@link #connect(SocketAddress)}.
 *
 * <p><b>Note:</b> thread safe. One thread may read while another writes; reads are serialised with each
 * other, as are writes. {@link #close()} from any thread wakes a blocked read or write, which then throws
 * {@code EBADF}. Direct buffers, native segments and a buffer or array used again cost no allocation per
 * call; the socket remembers the last one used in each direction.
 */
public final class RdmaSocket implements AutoCloseable
{
    /** The largest single engine call; the engine counts in int. */
    static final int MAX_CHUNK = 1 << 30;
    /** How long close waits for a caller to leave the engine before closing it under that caller. */
    private static final long CLOSE_WAIT_MS = 100;

    final StreamRsocket rs;
    // Read and write callers hold their lock across the engine call and check `closed` under it; close
    // takes the locks (waking holders first) before releasing the engine, so no caller touches freed verbs
    // resources.
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    final ReentrantLock controlLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private final SocketReader reader = new SocketReader(this, readLock);
    private final SocketWriter writer = new SocketWriter(this, writeLock);
    private final RdmaIomap iomap = new RdmaIomap(this, writeLock);

    volatile int soTimeoutMs;
    private volatile boolean closed;
    private volatile boolean connected;
    private volatile boolean connecting;
    private volatile boolean bound;
    private volatile boolean inputShutdown;
    private volatile boolean outputShutdown;
    private volatile InetSocketAddress localAddress;
    volatile InetSocketAddress remoteAddress;
    private final AtomicBoolean engineClosed = new AtomicBoolean();
    private InputStream in;
    private OutputStream out;

    /**
     * An unconnected socket on the default verbs provider ({@link Verbs#defaultProvider()}).
     *
     * @throws IOException           when the provider cannot create a connection id.
     * @throws IllegalStateException when no provider is available.
     */
    public RdmaSocket() throws IOException
    {
        this(Verbs.defaultProvider());
    }

    /**
     * An unconnected socket.
     *
     * @param provider the verbs provider, e.g. {@code Verbs.provider("tcp").orElseThrow()}.
     * @throws IOException when the provider cannot create a connection id.
     */
    public RdmaSocket(final VerbsProvider provider) throws IOException
    {
        Objects.requireNonNull(provider, "provider");
        try
        {
            rs = StreamRsocket.open(provider, Defaults.CONFIG);
        }
        catch (final ErrnoException e)
        {
            throw Errors.socket(e, "open rsocket on " + provider.name());
        }
        // java.net's default; the engine starts with C's (on).
        rs.options().linger(-1);
    }

    /** A socket {@link RdmaServerSocket#accept()} returned. */
    RdmaSocket(final StreamRsocket accepted)
    {
        rs = accepted;
        rs.options().linger(-1);
        bound = true;
        connected = true;
        localAddress = accepted.localAddress();
        remoteAddress = accepted.peerAddress();
    }

    // ---------------------------------------------------------------------------------------- setup

    /**
     * Binds to a local address ({@code rbind}).
     *
     * @param local the address, or {@code null} for any address and an ephemeral port.
     * @throws IOException {@link RdmaBindException} for {@code EADDRINUSE}, {@code EINVAL} when already bound.
     */
    public void bind(final SocketAddress local) throws IOException
    {
        final InetSocketAddress address = null == local ? new InetSocketAddress(0) : resolved(local);
        controlLock.lock();
        try
        {
            ensureOpen();
            if (bound || connecting || connected)
            {
                throw new RdmaSocketException(Errno.EINVAL.code(), "already bound");
            }
            rs.bind(address);
            bound = true;
            localAddress = rs.localAddress();
        }
        catch (final ErrnoException e)
        {
            throw Errors.socket(e, "bind to " + Errors.format(address));
        }
        finally
        {
            controlLock.unlock();
        }
    }

    /**
     * Connects, waiting as long as the engine does (about 30 s for an unresponsive peer).
     *
     * @param remote the peer.
     * @throws IOException {@link RdmaConnectException} with {@code ECONNREFUSED} when nothing listens.
     */
    public void connect(final SocketAddress remote) throws IOException
    {
        connect(remote, 0);
    }

    /**
     * Connects ({@code rconnect}). On failure the socket is closed, as {@link java.net.Socket} does.
     *
     * @param remote    the peer.
     * @param timeoutMs the most milliseconds to wait, 0 for the engine's own limit.
     * @throws IOException {@link RdmaSocketTimeoutException} ({@code ETIMEDOUT}) when the time is up,
     *                     {@link RdmaConnectException} when the peer refuses or cannot be reached,
     *                     {@code EISCONN} when already connected, {@code EBADF} when closed.
     */
    public void connect(final SocketAddress remote, final int timeoutMs) throws IOException
    {
        if (timeoutMs < 0)
        {
            throw new IllegalArgumentException("connect: timeout can't be negative");
        }
        final InetSocketAddress address = resolved(Objects.requireNonNull(remote, "remote"));
        final String what = "connect to " + Errors.format(address);
        synchronized (stateLock)
        {
            ensureOpen();
            if (connected)
            {
                throw new RdmaSocketException(Errno.EISCONN.code(), what + ": already connected");
            }
            if (connecting)
            {
                throw new RdmaSocketException(Errno.EALREADY.code(), what);
            }
            connecting = true;
        }
        IOException failure = null;
        try
        {
            // The engine bounds the wait; a close from another thread ends it with EBADF.
            rs.connect(address, timeoutMs);
        }
        catch (final ErrnoException e)
        {
            failure = Errno.ETIMEDOUT.code() == e.errno() && timeoutMs > 0 ?
                new RdmaSocketTimeoutException(e.errno(), what + " timed out after " + timeoutMs + " ms") :
                Errors.connect(e, what);
        }
        catch (final RuntimeException e)
        {
            // Only a close under our feet (from another thread) gets here; the checks below say so.
            failure = new RdmaSocketException(Errno.EBADF.code(), what, e);
        }
        finally
        {
            synchronized (stateLock)
            {
                connecting = false;
            }
        }
        if (closed)
        {
            final RdmaSocketException e = Errors.closed();
            if (null != failure)
            {
                e.addSuppressed(failure);
            }
            throw e;
        }
        if (null != failure)
        {
            // As java.net.Socket: a socket whose connect failed is closed.
            close();
            throw failure;
        }
        localAddress = rs.localAddress();
        remoteAddress = rs.peerAddress();
        bound = true;
        connected = true;
    }

    // ---------------------------------------------------------------------------------------- streams

    /**
     * @return the input stream: {@code read()} returns -1 at the end of the stream, a read may return fewer
     * bytes than asked, closing it closes the socket.
     * @throws IOException when closed, not connected or input is shut down.
     */
    public InputStream getInputStream() throws IOException
    {
        ensureOpen();
        ensureConnected();
        if (inputShutdown)
        {
            throw new RdmaSocketException(Errno.EINVAL.code(), "socket input is shutdown");
        }
        synchronized (stateLock)
        {
            if (null == in)
            {
                in = new SocketInputStream(this, reader);
            }
            return in;
        }
    }

    /**
     * @return the output stream: writes complete fully or throw; closing it closes the socket.
     * @throws IOException when closed, not connected or output is shut down.
     */
    public OutputStream getOutputStream() throws IOException
    {
        ensureOpen();
        ensureConnected();
        if (outputShutdown)
        {
            throw new RdmaSocketException(Errno.EPIPE.code(), "socket output is shutdown");
        }
        synchronized (stateLock)
        {
            if (null == out)
            {
                out = new SocketOutputStream(this, writer);
            }
            return out;
        }
    }

    // ---------------------------------------------------------------------------------------- read

    /**
     * Reads what is there, waiting for at least one byte, into {@code dst} between its position and limit.
     *
     * @param dst a heap or direct buffer; its position moves past the bytes read.
     * @return bytes read, 0 when {@code dst} has no room, or -1 at the end of the stream.
     * @throws IOException e.g. {@code ECONNRESET}, or {@code EBADF} when closed.
     */
    public int read(final ByteBuffer dst) throws IOException
    {
        return reader.read(dst);
    }

    /**
     * Scatter read: waits for data for the first buffer with room, then fills the following ones with what
     * has already arrived, without waiting again.
     *
     * @param dsts the buffers, filled in order.
     * @return bytes read, or -1 at the end of the stream.
     * @throws IOException as {@link #read(ByteBuffer)}.
     */
    public long read(final ByteBuffer[] dsts) throws IOException
    {
        return reader.read(dsts);
    }

    /**
     * Reads what is there, waiting for at least one byte.
     *
     * @param dst where to put the bytes, from its start; heap or native.
     * @return bytes read, 0 when {@code dst} is empty, or -1 at the end of the stream.
     * @throws IOException as {@link #read(ByteBuffer)}.
     */
    public int read(final MemorySegment dst) throws IOException
    {
        return reader.read(dst);
    }

    // ---------------------------------------------------------------------------------------- write

    /**
     * Writes all of {@code src} between its position and limit, waiting for room as needed.
     *
     * @param src a heap, direct or read-only buffer; its position moves to its limit.
     * @return bytes written.
     * @throws IOException {@code EPIPE} after {@link #shutdownOutput()}, {@code ECONNRESET} or {@code EPIPE}
     *                     when the connection is gone, {@code EBADF} when closed.
     */
    public int write(final ByteBuffer src) throws IOException
    {
        return writer.write(src);
    }

    /**
     * Gather write: all of every buffer, in order, with no other write in between.
     *
     * @param srcs the buffers.
     * @return bytes written.
     * @throws IOException as {@link #write(ByteBuffer)}.
     */
    public long write(final ByteBuffer[] srcs) throws IOException
    {
        return writer.write(srcs);
    }

    /**
     * Writes all of {@code src}.
     *
     * @param src heap or native bytes.
     * @return bytes written, {@code src.byteSize()}.
     * @throws IOException as {@link #write(ByteBuffer)}.
     */
    public long write(final MemorySegment src) throws IOException
    {
        return writer.write(src);
    }

    /**
     * @return direct data placement on this socket ({@code riomap}, {@code riounmap}, {@code riowrite});
     *         set {@link RdmaSocketOptions#RDMA_IOMAPSIZE} before connecting on the side that accepts mappings.
     */
    public RdmaIomap iomap()
    {
        return iomap;
    }

    // ---------------------------------------------------------------------------------------- shutdown, close

    /**
     * Half close of the read side ({@code SHUT_RD}): reads return -1 from now on, a blocked read wakes.
     * Nothing is sent to the peer while our write side is open, as C.
     *
     * @throws IOException when closed or not connected.
     */
    public void shutdownInput() throws IOException
    {
        shutdown(StreamRsocket.SHUT_RD);
    }

    /**
     * Half close of the write side ({@code SHUT_WR}): the peer reads the bytes already written, then the end
     * of the stream; we can still read its answer.
     *
     * @throws IOException when closed or not connected.
     */
    public void shutdownOutput() throws IOException
    {
        shutdown(StreamRsocket.SHUT_WR);
    }

    private void shutdown(final int how) throws IOException
    {
        controlLock.lock();
        try
        {
            ensureOpen();
            ensureConnected();
            if (StreamRsocket.SHUT_RD == how)
            {
                if (inputShutdown)
                {
                    return;
                }
                inputShutdown = true;
            }
            else
            {
                if (outputShutdown)
                {
                    return;
                }
                outputShutdown = true;
            }
            final int rc = rs.shutdown(how);
            // ENOTCONN: the peer is gone already, which is what a half close wants anyway.
            if (rc < 0 && -Errno.ENOTCONN.code() != rc)
            {
                throw Errors.socket(-rc, "shutdown " + (StreamRsocket.SHUT_RD == how ? "input" : "output"), null);
            }
        }
        finally
        {
            controlLock.unlock();
        }
    }

    /**
     * Closes ({@code rclose}): a connected socket tells the peer, every blocked read or write wakes with
     * {@code EBADF}, the verbs resources are released. Idempotent; never waits long, even for a peer that
     * stopped reading (the engine bounds its DISCONNECT drain).
     */
    @Override
    public void close()
    {
        final boolean wasConnecting;
        synchronized (stateLock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            wasConnecting = connecting;
        }
        if (wasConnecting)
        {
            // The engine's close wakes the connecting thread; it holds none of our locks.
            closeEngine();
            return;
        }
        // With our locks held no caller can slip into the engine while it releases. A caller that holds
        // one is blocked inside the engine: a blocked reader is woken by SHUT_RD (no message while we can
        // still write); any other is woken by the engine's close itself, so do not wait for it long.
        final boolean read = readLock.tryLock() || wakeReaders() && tryLock(readLock);
        final boolean write = writeLock.tryLock() || tryLock(writeLock);
        final boolean control = controlLock.tryLock() || tryLock(controlLock);
        try
        {
            closeEngine();
        }
        finally
        {
            unlockIf(control, controlLock);
            unlockIf(write, writeLock);
            unlockIf(read, readLock);
        }
    }

    private boolean wakeReaders()
    {
        if (connected && !outputShutdown && !inputShutdown)
        {
            rs.shutdown(StreamRsocket.SHUT_RD);
        }
        return true;
    }

    private static boolean tryLock(final ReentrantLock lock)
    {
        try
        {
            return lock.tryLock(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void unlockIf(final boolean held, final ReentrantLock lock)
    {
        if (held)
        {
            lock.unlock();
        }
    }

    /** Once only: a failed connect overwrites the engine's closed state, so its close is not idempotent then. */
    private void closeEngine()
    {
        if (engineClosed.compareAndSet(false, true))
        {
            rs.close();
        }
    }

    // ---------------------------------------------------------------------------------------- state

    /** @return whether the socket was connected; stays true after close, as {@link java.net.Socket}. */
    public boolean isConnected()
    {
        return connected;
    }

    /** @return whether the socket has a local address; stays true after close. */
    public boolean isBound()
    {
        return bound;
    }

    /** @return whether {@link #close()} was called. */
    public boolean isClosed()
    {
        return closed;
    }

    /** @return whether {@link #shutdownInput()} was called. */
    public boolean isInputShutdown()
    {
        return inputShutdown;
    }

    /** @return whether {@link #shutdownOutput()} was called. */
    public boolean isOutputShutdown()
    {
        return outputShutdown;
    }

    /** @return the local address, or {@code null} when not bound; kept after close. */
    public SocketAddress getLocalSocketAddress()
    {
        return localAddress;
    }

    /** @return the peer's address, or {@code null} when not connected; kept after close. */
    public SocketAddress getRemoteSocketAddress()
    {
        return remoteAddress;
    }

    // ---------------------------------------------------------------------------------------- options

    /**
     * {@code SO_TIMEOUT}, as {@link java.net.Socket#setSoTimeout(int)}: a read that waits longer throws
     * {@link RdmaSocketTimeoutException} ({@code EAGAIN}) and the socket stays usable. The engine waits on
     * its completion channel with the deadline, so data is seen as soon as it arrives; 0 (the default)
     * waits without limit.
     *
     * @param timeoutMs the longest a read waits, 0 for no limit.
     * @throws IOException {@code EBADF} when closed.
     */
    public void setSoTimeout(final int timeoutMs) throws IOException
    {
        if (timeoutMs < 0)
        {
            throw new IllegalArgumentException("timeout < 0");
        }
        ensureOpen();
        soTimeoutMs = timeoutMs;
    }

    /**
     * @return the longest a read waits, 0 for no limit.
     * @throws IOException {@code EBADF} when closed.
     */
    public int getSoTimeout() throws IOException
    {
        ensureOpen();
        return soTimeoutMs;
    }

    /**
     * Sets an option; see {@link #supportedOptions()}. The values and their rules are the engine's, shared with
     * the C-style facade ({@code rsetsockopt}). {@code SO_RCVBUF}/{@code SO_SNDBUF} size the engine's rings to
     * twice the value, as C. {@code TCP_NODELAY}, {@code SO_LINGER} and {@link RdmaSocketOptions#SO_OOBINLINE}
     * are flags only: rsocket always sends at once and its close never lingers. {@code SO_KEEPALIVE} makes the
     * engine probe an idle connection (a 0-byte RDMA write, as C) so a dead peer is noticed; it may change at
     * any time. {@link RdmaSocketOptions#IPV6_V6ONLY} must be set before connecting.
     *
     * @param name  the option.
     * @param value its value.
     * @param <T>   the value type.
     * @return this.
     * @throws IOException {@code EINVAL} for buffer sizes and {@link RdmaSocketOptions} once connecting,
     *                     {@code EBADF} when closed.
     */
    public <T> RdmaSocket setOption(final SocketOption<T> name, final T value) throws IOException
    {
        controlLock.lock();
        try
        {
            ensureOpen();
            // Sizes once connecting: the engine refuses them with EINVAL, as C.
            OptionValues.set(rs, OptionValues.SOCKET_OPTIONS, name, value);
            return this;
        }
        finally
        {
            controlLock.unlock();
        }
    }

    /**
     * @param name the option.
     * @param <T>  the value type.
     * @return its value; buffer sizes read back doubled, as from C's {@code rgetsockopt}.
     * @throws IOException {@code EBADF} when closed.
     */
    public <T> T getOption(final SocketOption<T> name) throws IOException
    {
        controlLock.lock();
        try
        {
            ensureOpen();
            return OptionValues.get(rs, OptionValues.SOCKET_OPTIONS, name);
        }
        finally
        {
            controlLock.unlock();
        }
    }

    /**
     * @return SO_SNDBUF, SO_RCVBUF, SO_REUSEADDR, SO_LINGER, TCP_NODELAY, SO_KEEPALIVE and every one of the
     * {@link RdmaSocketOptions}.
     */
    public Set<SocketOption<?>> supportedOptions()
    {
        return OptionValues.SOCKET_OPTIONS;
    }

    @Override
    public String toString()
    {
        if (connected)
        {
            return "RdmaSocket[" + Errors.format(localAddress) + " -> " + Errors.format(remoteAddress) +
                (closed ? ", closed]" : "]");
        }
        return "RdmaSocket[unconnected" + (closed ? ", closed]" : "]");
    }

    // ---------------------------------------------------------------------------------------- helpers

    void ensureOpen() throws SocketException
    {
        if (closed)
        {
            throw Errors.closed();
        }
    }

    void ensureConnected() throws SocketException
    {
        if (!connected)
        {
            throw new RdmaSocketException(Errno.ENOTCONN.code(), "socket is not connected");
        }
    }

    static InetSocketAddress resolved(final SocketAddress address) throws UnknownHostException
    {
        if (!(address instanceof InetSocketAddress isa))
        {
            throw new IllegalArgumentException("unsupported address type: " + address.getClass().getName());
        }
        if (isa.isUnresolved())
        {
            throw new UnknownHostException(isa.getHostName());
        }
        return isa;
    }
}
