package io.rdmasockets.verbs;

import java.lang.foreign.MemorySegment;

/**
 * A protection domain, as {@code struct ibv_pd}: memory regions and queue pairs of one domain can
 * only be used together.
 */
public interface ProtectionDomain extends AutoCloseable
{
    /** @return the context the domain was allocated on. */
    VerbsContext context();

    /**
     * Registers memory, as {@code ibv_reg_mr}. Its {@link MemorySegment#address() address} is the
     * region's virtual address for work requests and for remote peers.
     *
     * <p>The device reaches the memory from its own threads, whenever the peer or the queue pair acts,
     * so the segment must be native memory that any thread may access: from a shared, global or
     * automatic arena. A segment of a confined arena is refused, because another thread touching it
     * would either fail or, through an unchecked view, write into memory the owner may free at any
     * moment. Keep the arena open until the region is closed; a provider that still meets a closed
     * arena treats the access as a protection error and never touches the freed memory.
     *
     * <p>As in verbs, remote write or remote atomic access requires {@link Access#LOCAL_WRITE} too.
     *
     * @param segment native memory to register; not a heap, read-only or confined segment.
     * @param access  an OR of {@link Access} flags.
     * @return the region, with fresh lkey and rkey.
     * @throws VerbsException {@code EINVAL} for a heap, read-only, confined or empty segment, or an
     *                        invalid combination of flags.
     */
    MemoryRegion registerMemory(MemorySegment segment, int access) throws VerbsException;

    /**
     * Creates a queue pair in state RESET, as {@code ibv_create_qp}. Queue pairs for connections are
     * normally created with {@link io.rdmasockets.verbs.cm.CmId#createQueuePair}, which also moves them
     * through INIT/RTR/RTS as the connection is made.
     *
     * @param attributes the requested types and sizes.
     * @return the queue pair; its granted sizes may exceed the requested ones.
     * @throws VerbsException {@code EINVAL} for sizes beyond the device limits, {@code EOPNOTSUPP} for a
     *                        type the provider does not implement.
     */
    QueuePair createQueuePair(QueuePairInitAttributes attributes) throws VerbsException;

    /** @return true until {@link #close()} succeeded. */
    boolean isOpen();

    /**
     * Deallocates the domain, as {@code ibv_dealloc_pd}. Closing again does nothing.
     *
     * @throws VerbsException {@code EBUSY} while regions or queue pairs of the domain remain.
     */
    @Override
    void close() throws VerbsException;
}
