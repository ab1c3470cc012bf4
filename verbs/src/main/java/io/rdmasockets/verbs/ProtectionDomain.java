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
     * Registers memory, as {@code ibv_reg_mr}. The segment must be native (off-heap) memory whose
     * lifetime outlives the region; its {@link MemorySegment#address() address} is the region's
     * virtual address for work requests and for remote peers.
     *
     * <p>As in verbs, remote write or remote atomic access requires {@link Access#LOCAL_WRITE} too.
     *
     * @param segment native memory to register; not a heap segment.
     * @param access  an OR of {@link Access} flags.
     * @return the region, with fresh lkey and rkey.
     * @throws VerbsException {@code EINVAL} for a heap or read-only segment, an empty one, or an
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
     * Deallocates the domain, as {@code ibv_dealloc_pd}.
     *
     * @throws VerbsException {@code EBUSY} while regions or queue pairs of the domain remain.
     */
    @Override
    void close() throws VerbsException;
}
