package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;

import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.CONNECTED;

/**
 * {@code SO_KEEPALIVE} and {@code TCP_KEEPIDLE} of one stream rsocket (wire-protocol doc section 4.3): while
 * keepalive is on and the socket connected, the {@link KeepaliveService} visits it, and each visit probes it
 * once it has been idle that long ({@link ControlMessages#keepalive}).
 *
 * <p><b>Note:</b> thread safe: options may change at any time, from any thread.
 */
final class Keepalive
{
    private final StreamRsocket socket;
    private volatile boolean on;
    private volatile int idleSeconds;

    Keepalive(final StreamRsocket socket)
    {
        this.socket = socket;
    }

    /** @param on {@code SO_KEEPALIVE}, as {@link StreamRsocket#keepAlive(boolean)}. */
    void on(final boolean on)
    {
        this.on = on;
        if (on && 0 != (socket.state & CONNECTED))
        {
            KeepaliveService.register(this);
        }
        else if (!on)
        {
            KeepaliveService.unregister(this);
        }
    }

    /**
     * @param seconds {@code TCP_KEEPIDLE}, as {@link StreamRsocket#keepAliveIdleSeconds(int)}.
     * @throws ErrnoException {@code EINVAL} out of range.
     */
    void idleSeconds(final int seconds) throws ErrnoException
    {
        if (seconds < 1 || seconds > Short.MAX_VALUE)
        {
            throw new ErrnoException(Errno.EINVAL, "TCP_KEEPIDLE " + seconds);
        }
        idleSeconds = seconds;
        if (on && 0 != (socket.state & CONNECTED))
        {
            KeepaliveService.register(this);
        }
    }

    /** @return {@code SO_KEEPALIVE}. */
    boolean on()
    {
        return on;
    }

    /** @return {@code TCP_KEEPIDLE} as C reports it: as set, else the system's once keepalive is on, else 0. */
    int reportedIdleSeconds()
    {
        final int seconds = idleSeconds;
        return 0 != seconds ? seconds : on ? SystemIdle.SECONDS : 0;
    }

    /** The connection is up: the service visits it from now on, when keepalive is on. */
    void onEstablished()
    {
        if (on)
        {
            KeepaliveService.register(this);
        }
    }

    /** The socket is closing: no more visits. */
    void stop()
    {
        KeepaliveService.unregister(this);
    }

    /**
     * Called by the keepalive service; see {@link ControlMessages#keepalive}.
     *
     * @param nowNs the service's clock.
     * @return nanoseconds until the next visit, or -1 for none.
     */
    long visit(final long nowNs)
    {
        final DataPath d = socket.data;
        if (null == d || socket.closed.get() || !on)
        {
            return -1;
        }
        final int seconds = idleSeconds;
        return d.control.keepalive(nowNs, TimeUnit.SECONDS.toNanos(0 != seconds ? seconds : SystemIdle.SECONDS));
    }

    /** {@code /proc/sys/net/ipv4/tcp_keepalive_time}, read once, when first needed. */
    private static final class SystemIdle
    {
        static final int SECONDS = KeepaliveService.systemIdleSeconds();
    }
}
