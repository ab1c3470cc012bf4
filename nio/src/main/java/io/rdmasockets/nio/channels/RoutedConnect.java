package io.rdmasockets.nio.channels;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.nio.Router;
import io.rdmasockets.rsocket.engine.RsocketState;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NoConnectionPendingException;
import java.nio.channels.SocketChannel;

/**
 * The connect side of a {@link RoutedSocketChannel}: the stack decided at bind or connect, blocking and
 * non-blocking connects of either stack, and the fallback of a routed connect to TCP ({@code nio/README.md},
 * "TCP fallback"). It works on the channel's state under the channel's state lock, as the channel's own
 * methods do; blocking connects run outside it, so that close (and the interrupt that closes) reaches them.
 */
final class RoutedConnect
{
    private final RoutedSocketChannel ch;
    /** The errno of an rsocket connect that failed without falling back, taken at readiness; 0 if none. */
    private int failure;
    /**
     * A TCP connect started by a fallback at readiness that ended at once, before any selector could report
     * it: until {@link #finishConnect} takes it, the key reports {@code OP_CONNECT} itself.
     */
    private volatile boolean fallbackEnded;
    /** How that connect failed (the JDK closed its socket), or null when it connected. */
    private Exception fallbackFailure;

    RoutedConnect(final RoutedSocketChannel ch)
    {
        this.ch = ch;
    }

    /** Creates the socket of the stack the router picks; called under the state lock. */
    private void decide(final Router.Operation operation, final InetSocketAddress address) throws IOException
    {
        if (null != ch.rs || null != ch.kernel)
        {
            return;
        }
        if (ch.stacks.router().useRsocket(operation, address))
        {
            try
            {
                final StreamRsocket s = ch.stacks.openRsocket();
                s.nonblocking(!ch.blocking);
                ch.options.replayOn(s);
                ch.rs = s;
                Routing.decided(ch.stacks.router(), operation, address, ch.stacks.rsocketName());
            }
            catch (final IOException e)
            {
                if (Router.Operation.CONNECT != operation || !ch.stacks.router().fallbackToTcp(address))
                {
                    throw e;
                }
                Routing.fellBack(operation, address, e.getMessage());
                becomeKernel();
            }
        }
        else
        {
            becomeKernel();
            Routing.decided(ch.stacks.router(), operation, address, "kernel");
        }
        rescanKeys();
    }

    /** Opens the JDK socket this channel delegates to, with the options set so far; under the state lock. */
    private void becomeKernel() throws IOException
    {
        final SocketChannel k = null == ch.family ? ch.stacks.kernel().openSocketChannel() :
            ch.stacks.kernel().openSocketChannel(ch.family);
        try
        {
            k.configureBlocking(ch.blocking);
            ch.options.replayOn(k);
        }
        catch (final IOException | RuntimeException e)
        {
            k.close();
            throw e;
        }
        ch.kernel = k;
    }

    private void rescanKeys()
    {
        ch.keys.rescan();
    }

    /**
     * A routed connect that failed in a way TCP may not (no RDMA route, no rsocket listener, no answer)
     * becomes a kernel connect, when the router allows it; under the state lock. The rsocket is closed.
     *
     * @return the kernel socket to connect, or null when the failure stands.
     */
    private SocketChannel fallBack(final InetSocketAddress isa, final int errno) throws IOException
    {
        if (!Routing.fallsBack(errno) || !ch.stacks.router().fallbackToTcp(isa) || !ch.isOpen())
        {
            return null;
        }
        Routing.fellBack(Router.Operation.CONNECT, isa, io.rdmasockets.common.Errno.nameOf(errno));
        final StreamRsocket old = ch.rs;
        ch.rs = null;
        if (null != old)
        {
            old.close();
        }
        becomeKernel();
        rescanKeys();
        return ch.kernel;
    }

    SocketChannel bind(final SocketAddress local) throws IOException
    {
        synchronized (ch.stateLock)
        {
            ch.ensureOpen();
            if (ch.connectPending)
            {
                throw new ConnectionPendingException();
            }
            if (ch.connected)
            {
                throw new AlreadyConnectedException();
            }
            final InetSocketAddress isa = null == local ? new InetSocketAddress(0) : RsocketSupport.check(local);
            if (null != ch.localAddressOrNull())
            {
                throw new java.nio.channels.AlreadyBoundException();
            }
            decide(Router.Operation.BIND, isa);
            final SocketChannel k = ch.kernel;
            if (null != k)
            {
                k.bind(isa);
                return ch;
            }
            try
            {
                ch.rs.bind(isa);
            }
            catch (final ErrnoException e)
            {
                throw RsocketSupport.exception(e, "bind to " + isa);
            }
            return ch;
        }
    }

    boolean connect(final SocketAddress address) throws IOException
    {
        final InetSocketAddress isa;
        final StreamRsocket s;
        SocketChannel k;
        synchronized (ch.stateLock)
        {
            ch.ensureOpen();
            if (ch.connected)
            {
                throw new AlreadyConnectedException();
            }
            if (ch.connectPending)
            {
                throw new ConnectionPendingException();
            }
            isa = RsocketSupport.remote(RsocketSupport.check(address));
            decide(Router.Operation.CONNECT, isa);
            k = ch.kernel;
            s = ch.rs;
            ch.remote = isa;
            ch.connectPending = true;
            if (null == k && !ch.blocking)
            {
                try
                {
                    s.connect(isa);
                    ch.connected = true;
                    ch.connectPending = false;
                    return true;
                }
                catch (final ErrnoException e)
                {
                    if (Errno.EINPROGRESS.code() == e.errno())
                    {
                        return false;
                    }
                    k = fallBack(isa, e.errno());
                    if (null == k)
                    {
                        ch.connectPending = false;
                        ch.remote = null;
                        throw RsocketSupport.exception(e, "connect to " + isa);
                    }
                }
            }
        }
        if (null != k)
        {
            return kernelConnect(k, isa, -1);
        }
        return rsocketConnect(s, isa, 0);
    }

    /**
     * Connects the JDK socket, outside the state lock so that close can reach a blocking connect.
     *
     * @param timeoutMs -1 for {@link SocketChannel#connect}, else the adaptor's timed connect (0: no limit).
     */
    private boolean kernelConnect(final SocketChannel k, final InetSocketAddress isa, final int timeoutMs)
        throws IOException
    {
        try
        {
            final boolean done;
            if (timeoutMs < 0)
            {
                done = k.connect(isa);
            }
            else
            {
                k.socket().connect(isa, timeoutMs);
                done = true;
            }
            synchronized (ch.stateLock)
            {
                ch.connected = done;
                ch.connectPending = !done;
            }
            return done;
        }
        catch (final IOException | RuntimeException e)
        {
            // As the JDK: a failed connect closes the channel.
            ch.close();
            throw e;
        }
    }

    /**
     * The blocking connect of an rsocket, outside the state lock so that close (and the interrupt that
     * closes) can reach it; falls back to TCP as {@link #fallBack} says.
     */
    private boolean rsocketConnect(final StreamRsocket s, final InetSocketAddress isa, final int timeoutMs)
        throws IOException
    {
        boolean done = false;
        ErrnoException failure = null;
        try
        {
            ch.beginBlocking();
            s.connect(isa, timeoutMs);
            done = true;
        }
        catch (final ErrnoException e)
        {
            failure = e;
        }
        finally
        {
            synchronized (ch.stateLock)
            {
                ch.connectPending = !done && null != failure;
                ch.connected = done;
            }
            // A failure of the connect itself is reported below; one caused by a close or an interrupt here.
            ch.endBlocking(done || ch.isOpen());
        }
        if (null == failure)
        {
            return true;
        }
        ch.transfer.checkInterrupted(-failure.errno());
        final SocketChannel k;
        synchronized (ch.stateLock)
        {
            k = fallBack(isa, failure.errno());
        }
        if (null != k)
        {
            return kernelConnect(k, isa, timeoutMs > 0 ? timeoutMs : -1);
        }
        synchronized (ch.stateLock)
        {
            ch.connectPending = false;
        }
        ch.close();
        if (timeoutMs > 0 && Errno.ETIMEDOUT.code() == failure.errno())
        {
            throw (IOException)new SocketTimeoutException("Connect timed out").initCause(failure);
        }
        throw RsocketSupport.exception(failure, "connect to " + isa);
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
        final InetSocketAddress isa;
        final StreamRsocket s;
        final SocketChannel k;
        synchronized (ch.stateLock)
        {
            ch.ensureOpen();
            if (ch.connected)
            {
                throw new java.net.SocketException("Already connected");
            }
            if (ch.connectPending)
            {
                throw new ConnectionPendingException();
            }
            isa = RsocketSupport.remote(RsocketSupport.check(address));
            decide(Router.Operation.CONNECT, isa);
            k = ch.kernel;
            s = ch.rs;
            ch.remote = isa;
            ch.connectPending = true;
        }
        if (null != k)
        {
            kernelConnect(k, isa, timeoutMs);
        }
        else
        {
            rsocketConnect(s, isa, timeoutMs);
        }
    }

    boolean finishConnect() throws IOException
    {
        final SocketChannel k = ch.kernel;
        if (null != k)
        {
            synchronized (ch.stateLock)
            {
                ch.ensureOpen();
                if (ch.connected)
                {
                    return true;
                }
            }
            takeFallbackOutcome();
            try
            {
                final boolean done = k.finishConnect();
                synchronized (ch.stateLock)
                {
                    ch.connected = done;
                    ch.connectPending = !done;
                }
                return done;
            }
            catch (final IOException e)
            {
                ch.close();
                throw e;
            }
        }
        final StreamRsocket s;
        synchronized (ch.stateLock)
        {
            ch.ensureOpen();
            if (ch.connected)
            {
                return true;
            }
            if (!ch.connectPending)
            {
                throw new NoConnectionPendingException();
            }
            s = ch.rs;
        }
        boolean done = false;
        try
        {
            if (ch.blocking)
            {
                ch.beginBlocking();
                RsocketSupport.await(s, StreamRsocket.POLLOUT);
            }
            done = connectOutcome(s);
        }
        finally
        {
            if (ch.blocking)
            {
                ch.endBlocking(done || ch.isOpen());
            }
        }
        // A fallback to TCP leaves a kernel connect under way: the caller finishes it as any other.
        return done || (null != ch.kernel && finishConnect());
    }

    /**
     * For the selector, when a pending connect's rsocket reports an error or hang-up: a failure that falls back
     * to TCP starts the TCP connect now, so that {@code OP_CONNECT} is reported once that connect is done, as
     * the JDK reports it, and {@code finishConnect} then completes (Netty takes {@code false} there for a bug:
     * {@code NioSocketChannel.doFinishConnect} throws {@code Error}).
     *
     * @return true when it fell back: the key now waits on the kernel socket.
     */
    boolean fallBackOnReadiness()
    {
        final InetSocketAddress to;
        final SocketChannel k;
        synchronized (ch.stateLock)
        {
            final StreamRsocket s = ch.rs;
            if (null == s || !ch.connectPending || ch.connected || !ch.isOpen() || 0 != failure)
            {
                // failure: already taken at an earlier select; its errno is gone from the rsocket.
                return false;
            }
            // Only a connect that failed falls back; one that was established and lost since (the peer wrote,
            // then closed) is connected, as the JDK's finishConnect says of it.
            if (RsocketState.CONNECT_ERROR != s.state())
            {
                return false;
            }
            int err = s.takeError();
            if (0 == err)
            {
                err = Errno.ECONNREFUSED.code();
            }
            to = ch.remote;
            try
            {
                k = fallBack(to, err);
            }
            catch (final IOException e)
            {
                failure = err;
                return false;
            }
            if (null == k)
            {
                failure = err;
                return false;
            }
        }
        // Not kernelConnect: a failure closing the channel here would cancel the key, and the application,
        // waiting for OP_CONNECT, would never hear of it (Netty's connect would hang until its timeout).
        try
        {
            if (k.connect(to))
            {
                fallbackEnded = true;
            }
        }
        catch (final IOException | RuntimeException e)
        {
            synchronized (ch.stateLock)
            {
                fallbackFailure = e;
            }
            fallbackEnded = true;
        }
        return true;
    }

    /** @return {@code OP_CONNECT} in {@code interest} while a fallback's immediate outcome waits for finishConnect. */
    int pendingConnectOps(final int interest)
    {
        return fallbackEnded ? interest & java.nio.channels.SelectionKey.OP_CONNECT : 0;
    }

    /** Throws (closing the channel, as the JDK does) the failure of a fallback connect that ended at readiness. */
    private void takeFallbackOutcome() throws IOException
    {
        if (!fallbackEnded)
        {
            return;
        }
        final Exception e;
        synchronized (ch.stateLock)
        {
            e = fallbackFailure;
            fallbackFailure = null;
            fallbackEnded = false;
        }
        if (null != e)
        {
            ch.close();
            if (e instanceof IOException io)
            {
                throw io;
            }
            throw (RuntimeException)e;
        }
    }

    /**
     * @return true once connected, false while connecting (or after falling back to TCP); throws (and closes)
     *         when the connect failed.
     */
    private boolean connectOutcome(final StreamRsocket s) throws IOException
    {
        final int state = s.state();
        // Established, and perhaps lost since (DISCONNECTED, ERROR): the JDK's finishConnect returns true for a
        // connection the peer has already closed, and reads then tell end of stream or the error.
        if (0 == (state & RsocketState.CLOSED) &&
            0 != (state & (RsocketState.CONNECTED | RsocketState.DISCONNECTED | RsocketState.ERROR)))
        {
            synchronized (ch.stateLock)
            {
                ch.connected = true;
                ch.connectPending = false;
            }
            return true;
        }
        if (RsocketState.CONNECT_ERROR == state || 0 != (state & RsocketState.CLOSED))
        {
            int err = 0 != failure ? failure : s.takeError();
            if (0 == err)
            {
                err = Errno.ECONNREFUSED.code();
            }
            final InetSocketAddress to = ch.remote;
            final SocketChannel k;
            synchronized (ch.stateLock)
            {
                k = fallBack(to, err);
            }
            if (null != k)
            {
                return kernelConnect(k, to, -1);
            }
            ch.close();
            throw RsocketSupport.exception(err, "connect to " + to);
        }
        return false;
    }
}
