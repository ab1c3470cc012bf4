package io.rdmasockets.rsocket;

import io.rdmasockets.rsocket.config.RsocketConfig;

import java.util.concurrent.ScheduledThreadPoolExecutor;

/** Process-wide state of the socket API, created on first use. */
final class Defaults
{
    /** The {@code /etc/rdma/rsocket} configuration, read once as C does on the first {@code rsocket()}. */
    static final RsocketConfig CONFIG = RsocketConfig.load();

    /** Fires connect timeouts; one daemon thread, idle unless a timed connect is under way. */
    static final ScheduledThreadPoolExecutor TIMER = timer();

    private Defaults()
    {
    }

    private static ScheduledThreadPoolExecutor timer()
    {
        final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r ->
        {
            final Thread t = new Thread(r, "rdmasockets-connect-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
