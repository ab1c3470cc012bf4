package io.rdmasockets.verbs;

import java.util.concurrent.TimeUnit;

/**
 * A completion event channel, as {@code struct ibv_comp_channel}: armed completion queues post one
 * event each here when a completion arrives.
 *
 * <p>Three ways to wait, so that blocking calls, virtual threads and selectors can all use it:
 * {@link #awaitEvent(long, TimeUnit)} blocks, woken by an event, {@link #wakeup()}, {@link #close()} or an
 * interrupt (a provider may block a platform thread in the kernel, as the native one does in
 * {@code poll(2)} so that the event wakes the waiter itself; it never pins a virtual thread in native code);
 * {@link #wakeup()} makes a blocked or the next {@code awaitEvent} return early; and
 * {@link #readyListener(Runnable)} installs a callback for a selector or poller.
 *
 * <p><b>Note:</b> thread safe.
 */
public interface CompletionChannel extends AutoCloseable
{
    /** @return the context the channel was created on. */
    VerbsContext context();

    /**
     * Takes the next event, as {@code ibv_get_cq_event}; waits up to the timeout for one.
     * Acknowledge each event with {@link CompletionQueue#acknowledgeEvents(int)}.
     *
     * @param timeout how long to wait: 0 returns at once, a negative value waits without limit.
     * @param unit    the timeout's unit.
     * @return the queue that fired, or {@code null} after the timeout, a {@link #wakeup()}, or close.
     * @throws InterruptedException when the waiting thread is interrupted, before or within a second of
     *                              the interrupt.
     */
    CompletionQueue awaitEvent(long timeout, TimeUnit unit) throws InterruptedException;

    /** @return true when an event is ready to take, without taking it. */
    boolean hasEvent();

    /**
     * Makes one thread blocked in {@link #awaitEvent} return {@code null}; when none is blocked, the
     * next call returns {@code null} at once (a wakeup is never lost, as with an eventfd).
     */
    void wakeup();

    /**
     * Installs the callback run (on a provider thread, quickly, without blocking) each time the channel
     * goes from having no event to having one, and on {@link #wakeup()}. One listener at a time.
     *
     * @param listener the callback, or {@code null} to remove it.
     */
    void readyListener(Runnable listener);

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /**
     * Destroys the channel, as {@code ibv_destroy_comp_channel}; blocked waiters return {@code null}.
     * Closing again does nothing.
     *
     * @throws VerbsException {@code EBUSY} while completion queues still use it.
     */
    @Override
    void close() throws VerbsException;
}
