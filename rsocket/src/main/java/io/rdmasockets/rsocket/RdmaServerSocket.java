package io.rdmasockets.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.engine.OptionValues;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.util.Objects;
import java.util.Set;

/**
 * A listening rsocket with the shape of {@link java.net.ServerSocket}. As C's {@code rlisten}, connection
 * requests are accepted by a service thread as they arrive; {@link #accept()} hands out the established ones.
 *
 * <p>Options set here ({@code SO_RCVBUF}, {@code SO_SNDBUF}, {@link RdmaSocketOptions}) apply to every socket
 * accepted afterwards.
 *
 * <p><b>Note:</b> thread safe; {@link #close()} wakes threads blocked in {@link #accept()}, which throw
 * {@link RdmaSocketException} with {@code EBADF}.
 */
public final class RdmaServerSocket implements AutoCloseable
{
    /** {@link java.net.ServerSocket}'s default backlog. */
    private static final int BACKLOG_DEFAULT = 50;

    private final StreamRsocket rs;
    private final Object lock = new Object();
    private volatile boolean closed;
    private volatile boolean bound;
    private volatile int soTimeoutMs;
    private volatile InetSocketAddress localAddress;

    /**
     * An unbound server socket on the default verbs provider ({@link Verbs#defaultProvider()}).
     *
     * @throws IOException           when the provider cannot create a connection id.
     * @throws IllegalStateException when no provider is available.
     */
    public RdmaServerSocket() throws IOException
    {
        this(Verbs.defaultProvider());
    }

    /**
     * An unbound server socket.
     *
     * @param provider the verbs provider.
     * @throws IOException when the provider cannot create a connection id.
     */
    public RdmaServerSocket(final VerbsProvider provider) throws IOException
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
    }

    /**
     * Binds and listens with the default backlog of 50.
     *
     * @param local the address, or {@code null} for any address and an ephemeral port.
     * @throws IOException {@link RdmaBindException} for {@code EADDRINUSE}.
     */
    public void bind(final SocketAddress local) throws IOException
    {
        bind(local, BACKLOG_DEFAULT);
    }

    /**
     * Binds and listens ({@code rbind} and {@code rlisten}).
     *
     * @param local   the address, or {@code null} for any address and an ephemeral port.
     * @param backlog connection requests to queue; 50 when less than 1.
     * @throws IOException {@link RdmaBindException} for {@code EADDRINUSE}, {@code EINVAL} when already bound,
     *                     {@code EBADF} when closed.
     */
    public void bind(final SocketAddress local, final int backlog) throws IOException
    {
        final InetSocketAddress address = null == local ? new InetSocketAddress(0) : RdmaSocket.resolved(local);
        synchronized (lock)
        {
            ensureOpen();
            if (bound)
            {
                throw new RdmaSocketException(Errno.EINVAL.code(), "already bound");
            }
            try
            {
                rs.bind(address);
                rs.listen(backlog < 1 ? BACKLOG_DEFAULT : backlog);
            }
            catch (final ErrnoException e)
            {
                throw Errors.socket(e, "bind to " + Errors.format(address));
            }
            bound = true;
            localAddress = rs.localAddress();
        }
    }

    /**
     * Waits for a connection ({@code raccept}), at most {@link #getSoTimeout()} milliseconds when that is set.
     *
     * @return the connected socket, with this socket's options.
     * @throws IOException {@link RdmaSocketTimeoutException} ({@code EAGAIN}) when the time is up,
     *                     {@code EBADF} when closed (also while waiting), {@code EINVAL} when not bound.
     */
    public RdmaSocket accept() throws IOException
    {
        ensureOpen();
        if (!bound)
        {
            throw new RdmaSocketException(Errno.EINVAL.code(), "socket is not bound yet");
        }
        final int timeoutMs = soTimeoutMs;
        final StreamRsocket accepted;
        try
        {
            accepted = rs.accept(timeoutMs);
        }
        catch (final ErrnoException e)
        {
            if (closed)
            {
                throw Errors.closed();
            }
            if (Errno.EAGAIN.code() == e.errno() && timeoutMs > 0)
            {
                throw new RdmaSocketTimeoutException(Errno.EAGAIN.code(), "accept timed out after " + timeoutMs +
                    " ms");
            }
            throw Errors.socket(e, "accept on " + Errors.format(localAddress));
        }
        if (closed)
        {
            accepted.close();
            throw Errors.closed();
        }
        synchronized (lock)
        {
            return new RdmaSocket(accepted);
        }
    }

    /**
     * @param timeoutMs the longest {@link #accept()} waits, 0 for no limit.
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
     * @return the longest {@link #accept()} waits, 0 for no limit.
     * @throws IOException {@code EBADF} when closed.
     */
    public int getSoTimeout() throws IOException
    {
        ensureOpen();
        return soTimeoutMs;
    }

    /**
     * Sets an option inherited by accepted sockets; see {@link #supportedOptions()}.
     *
     * @param name  the option.
     * @param value its value.
     * @param <T>   the value type.
     * @return this.
     * @throws IOException {@code EBADF} when closed.
     */
    public <T> RdmaServerSocket setOption(final SocketOption<T> name, final T value) throws IOException
    {
        synchronized (lock)
        {
            ensureOpen();
            OptionValues.set(rs, OptionValues.SERVER_OPTIONS, name, value);
            return this;
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
        synchronized (lock)
        {
            ensureOpen();
            return OptionValues.get(rs, OptionValues.SERVER_OPTIONS, name);
        }
    }

    /**
     * @return SO_SNDBUF, SO_RCVBUF, SO_REUSEADDR, {@link RdmaSocketOptions#IPV6_V6ONLY} (before binding) and the
     * SOL_RDMA sizes of {@link RdmaSocketOptions}.
     */
    public Set<SocketOption<?>> supportedOptions()
    {
        return OptionValues.SERVER_OPTIONS;
    }

    /** @return the address listened on, or {@code null} when not bound; kept after close. */
    public SocketAddress getLocalSocketAddress()
    {
        return localAddress;
    }

    /** @return whether the socket is bound; stays true after close. */
    public boolean isBound()
    {
        return bound;
    }

    /** @return whether {@link #close()} was called. */
    public boolean isClosed()
    {
        return closed;
    }

    /**
     * Stops listening, closes connections not yet accepted and wakes threads in {@link #accept()}. Idempotent.
     */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
        }
        rs.close();
    }

    @Override
    public String toString()
    {
        return "RdmaServerSocket[" + (bound ? Errors.format(localAddress) : "unbound") + (closed ? ", closed]" : "]");
    }

    private void ensureOpen() throws RdmaSocketException
    {
        if (closed)
        {
            throw Errors.closed();
        }
    }
}
