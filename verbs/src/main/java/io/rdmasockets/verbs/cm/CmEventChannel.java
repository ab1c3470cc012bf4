package io.rdmasockets.verbs.cm;

import io.rdmasockets.verbs.VerbsException;

import java.util.concurrent.TimeUnit;

/**
 * An event channel, as {@code struct rdma_event_channel}. Waiting works like
 * {@link io.rdmasockets.verbs.CompletionChannel}: block with a timeout, wake up, or install a listener.
 *
 * <p><b>Note:</b> thread safe.
 */
public interface CmEventChannel extends AutoCloseable
{
    /**
     * Takes the next event, as {@code rdma_get_cm_event}.
     *
     * @param timeout how long to wait: 0 returns at once, negative waits without limit.
     * @param unit    the timeout's unit.
     * @return the event, or {@code null} after the timeout, a {@link #wakeup()}, or close.
     * @throws InterruptedException when the waiting thread is interrupted.
     */
    CmEvent awaitEvent(long timeout, TimeUnit unit) throws InterruptedException;

    /** @return true when an event is ready to take. */
    boolean hasEvent();

    /** Makes one blocked (or the next) {@link #awaitEvent} return {@code null}. */
    void wakeup();

    /**
     * Installs the callback run on a provider thread when an event becomes ready and on wakeup.
     *
     * @param listener the callback, or {@code null} to remove it.
     */
    void readyListener(Runnable listener);

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /**
     * Destroys the channel, as {@code rdma_destroy_event_channel}. Closing again does nothing.
     *
     * @throws VerbsException {@code EBUSY} while ids still use it.
     */
    @Override
    void close() throws VerbsException;
}
