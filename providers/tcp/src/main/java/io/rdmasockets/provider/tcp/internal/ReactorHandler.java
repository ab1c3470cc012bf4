package io.rdmasockets.provider.tcp.internal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Something a {@link Reactor} drives: a TCP connection or a listener. Other threads hand work to the
 * reactor by {@link Reactor#schedule scheduling} the handler: an intrusive, allocation-free queue.
 */
abstract class ReactorHandler
{
    /** Next handler in the reactor's pending stack; owned by the reactor. */
    ReactorHandler nextPending;
    /** True while queued, so a handler is queued at most once. */
    final AtomicBoolean queued = new AtomicBoolean();

    /** Runs on the reactor thread after {@link Reactor#schedule}. */
    abstract void onScheduled();

    /**
     * Runs on the reactor thread when the channel is ready.
     *
     * @param readyOps the ready operations.
     */
    abstract void onReady(int readyOps);

    /** @return a System.nanoTime deadline, or 0 for none; polled each reactor iteration while timed. */
    long deadlineNs()
    {
        return 0;
    }

    /** Runs on the reactor thread once {@link #deadlineNs()} has passed. */
    void onDeadline()
    {
    }

    /**
     * A callback of this handler threw: fail it (error completions, events) rather than leave work
     * outstanding forever.
     *
     * @param cause what was thrown.
     */
    abstract void onFailure(Throwable cause);
}
