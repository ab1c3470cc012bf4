package io.rdmasockets.verbs;

/**
 * An open device, as {@code struct ibv_context}: the factory for protection domains, completion
 * channels and completion queues.
 *
 * <p>Closing a context whose children are still open fails with {@code EBUSY}, as in libibverbs.
 */
public interface VerbsContext extends AutoCloseable
{
    /** @return the device this context was opened on. */
    VerbsDevice device();

    /**
     * @return the device's attributes, as {@code ibv_query_device}.
     * @throws VerbsException when the context is closed.
     */
    DeviceAttributes queryDevice() throws VerbsException;

    /**
     * @param portNumber a port number, from 1.
     * @return the port's attributes, as {@code ibv_query_port}.
     * @throws VerbsException {@code EINVAL} for a port the device does not have.
     */
    PortAttributes queryPort(int portNumber) throws VerbsException;

    /**
     * @return a new protection domain, as {@code ibv_alloc_pd}.
     * @throws VerbsException when the context is closed or out of resources.
     */
    ProtectionDomain allocateProtectionDomain() throws VerbsException;

    /**
     * @return a new completion channel, as {@code ibv_create_comp_channel}.
     * @throws VerbsException when the context is closed or out of resources.
     */
    CompletionChannel createCompletionChannel() throws VerbsException;

    /**
     * Creates a completion queue, as {@code ibv_create_cq}.
     *
     * @param minEntries the minimum number of completions it must hold; the queue may be larger.
     * @param channel    the channel that {@link CompletionQueue#requestNotify(boolean) armed} events
     *                   go to, or {@code null} for a queue that is only polled.
     * @param vector     the completion vector (interrupt) to use; 0 when in doubt.
     * @return the queue.
     * @throws VerbsException {@code EINVAL} when {@code minEntries} exceeds
     *                        {@link DeviceAttributes#maxCqe()}.
     */
    CompletionQueue createCompletionQueue(int minEntries, CompletionChannel channel, int vector)
        throws VerbsException;

    /** @return true until {@link #close()} succeeded. */
    boolean isOpen();

    /**
     * Closes the context, as {@code ibv_close_device}. Closing again does nothing.
     *
     * @throws VerbsException {@code EBUSY} while protection domains, channels or queues remain open.
     */
    @Override
    void close() throws VerbsException;
}
