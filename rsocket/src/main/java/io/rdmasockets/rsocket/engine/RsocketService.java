package io.rdmasockets.rsocket.engine;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The background thread that does what C's listen and connect service threads do (wire-protocol doc
 * section 4.6): accept connection requests without waiting for the application, finish accepts, and
 * notice disconnects. Connection-manager channels hand it work through their ready listeners. The
 * thread is a daemon and exits after a second without work, so nothing lingers once sockets are closed.
 */
final class RsocketService
{
    private static final ThreadPoolExecutor EXECUTOR = new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), r ->
        {
            final Thread t = new Thread(r, "rdmasockets-rsocket-cm");
            t.setDaemon(true);
            return t;
        });

    static
    {
        EXECUTOR.allowCoreThreadTimeOut(true);
    }

    private RsocketService()
    {
    }

    /**
     * Runs control-plane work on the service thread.
     *
     * @param task the work; it must not block for long.
     */
    static void execute(final Runnable task)
    {
        EXECUTOR.execute(task);
    }
}
