package io.rdmasockets.rsocket.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * C's {@code tcp_svc} (wire-protocol doc section 4.3): one daemon thread for every socket with
 * {@code SO_KEEPALIVE} on, started by the first registration and gone once none is registered. Each
 * visit reaps the socket's completions and, after {@code keepalive_time} seconds without traffic, posts
 * a 0-byte RDMA write ({@link ControlMessages#keepalive}). The peer's transport acknowledges it without a
 * receive completion; a dead peer fails it, which puts the socket in ERROR without the application
 * calling in.
 */
final class KeepaliveService
{
    /** {@code keepalive_time} when neither {@code TCP_KEEPIDLE} nor /proc says otherwise. */
    static final int DEFAULT_IDLE_SECONDS = 7200;

    private static final Path PROC_KEEPALIVE_TIME = Path.of("/proc/sys/net/ipv4/tcp_keepalive_time");
    private static final Object LOCK = new Object();
    /** Socket to the nanoTime of its next visit; guarded by {@link #LOCK}. */
    private static final Map<Keepalive, Long> SOCKETS = new HashMap<>();
    private static Thread thread;

    private KeepaliveService()
    {
    }

    /** @return {@code /proc/sys/net/ipv4/tcp_keepalive_time}, else 7200, as C's {@code rs_set_keepalive}. */
    static int systemIdleSeconds()
    {
        try
        {
            final int s = Integer.parseInt(Files.readString(PROC_KEEPALIVE_TIME).trim());
            return s > 0 ? s : DEFAULT_IDLE_SECONDS;
        }
        catch (final IOException | RuntimeException e)
        {
            return DEFAULT_IDLE_SECONDS;
        }
    }

    /** @param rs a connected socket to visit from now on; registering again reschedules it. */
    static void register(final Keepalive rs)
    {
        synchronized (LOCK)
        {
            SOCKETS.put(rs, System.nanoTime());
            if (null == thread)
            {
                thread = Thread.ofPlatform().daemon().name("rdmasockets-rsocket-keepalive")
                    .start(KeepaliveService::run);
            }
            LOCK.notifyAll();
        }
    }

    /** @param rs a socket to visit no more (keepalive off, or closing). */
    static void unregister(final Keepalive rs)
    {
        synchronized (LOCK)
        {
            if (null != SOCKETS.remove(rs))
            {
                LOCK.notifyAll();
            }
        }
    }

    /** @return sockets registered now (tests). */
    static int registered()
    {
        synchronized (LOCK)
        {
            return SOCKETS.size();
        }
    }

    private static void run()
    {
        final Map<Keepalive, Long> due = new HashMap<>();
        while (true)
        {
            synchronized (LOCK)
            {
                long waitNs;
                while (true)
                {
                    if (SOCKETS.isEmpty())
                    {
                        thread = null;
                        return;
                    }
                    final long now = System.nanoTime();
                    waitNs = Long.MAX_VALUE;
                    for (final Map.Entry<Keepalive, Long> e : SOCKETS.entrySet())
                    {
                        final long left = e.getValue() - now;
                        if (left <= 0)
                        {
                            due.put(e.getKey(), e.getValue());
                        }
                        waitNs = Math.min(waitNs, left);
                    }
                    if (!due.isEmpty())
                    {
                        break;
                    }
                    try
                    {
                        TimeUnit.NANOSECONDS.timedWait(LOCK, waitNs);
                    }
                    catch (final InterruptedException ignored)
                    {
                        // Daemon thread: nobody interrupts it but the JVM's end.
                    }
                }
            }
            // Visit outside the service lock: a visit takes the socket's state lock and may wait for it.
            for (final Keepalive rs : due.keySet())
            {
                final long nextNs = rs.visit(System.nanoTime());
                synchronized (LOCK)
                {
                    if (nextNs < 0)
                    {
                        SOCKETS.remove(rs);
                    }
                    else
                    {
                        SOCKETS.replace(rs, System.nanoTime() + nextNs);
                    }
                }
            }
            due.clear();
        }
    }
}
