package io.rdmasockets.verbs;

import java.lang.foreign.MemorySegment;

/**
 * Registered memory, as {@code struct ibv_mr}. Work requests name it by {@link #lkey()} and virtual
 * address; peers name it by {@link #rkey()}, address and length.
 *
 * <p>Providers must make rkeys unguessable and never reuse an rkey while its region is registered.
 */
public interface MemoryRegion extends AutoCloseable
{
    /** @return the domain the region belongs to. */
    ProtectionDomain protectionDomain();

    /** @return the registered memory. */
    MemorySegment segment();

    /** @return the virtual address of the first byte, as {@code ibv_mr.addr}. */
    default long address()
    {
        return segment().address();
    }

    /** @return the length in bytes. */
    default long length()
    {
        return segment().byteSize();
    }

    /** @return the local key, for scatter/gather entries of local work requests. */
    int lkey();

    /** @return the remote key, for peers' RDMA operations. */
    int rkey();

    /** @return the {@link Access} flags the region was registered with. */
    int access();

    /** @return true until {@link #close()}. */
    boolean isOpen();

    /**
     * Deregisters, as {@code ibv_dereg_mr}. Later accesses with its keys fail with protection errors.
     * Closing again does nothing.
     *
     * @throws VerbsException when the provider cannot deregister.
     */
    @Override
    void close() throws VerbsException;
}
