package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.VerbsException;

import java.lang.foreign.MemorySegment;

/** Registered memory, {@code struct ibv_mr}; the keys are the device's. */
final class NativeMemoryRegion implements MemoryRegion
{
    private final NativeProtectionDomain pd;
    private final MemorySegment mr;
    private final MemorySegment segment;
    private final long address;
    private final long length;
    private final int access;
    private final int lkey;
    private final int rkey;
    private volatile boolean open = true;

    NativeMemoryRegion(final NativeProtectionDomain pd, final MemorySegment mr, final MemorySegment segment,
        final int access, final int lkey, final int rkey)
    {
        this.pd = pd;
        this.mr = mr;
        this.segment = segment;
        this.address = segment.address();
        this.length = segment.byteSize();
        this.access = access;
        this.lkey = lkey;
        this.rkey = rkey;
    }

    @Override
    public ProtectionDomain protectionDomain()
    {
        return pd;
    }

    @Override
    public MemorySegment segment()
    {
        return segment;
    }

    @Override
    public long address()
    {
        return address;
    }

    @Override
    public long length()
    {
        return length;
    }

    @Override
    public int lkey()
    {
        return lkey;
    }

    @Override
    public int rkey()
    {
        return rkey;
    }

    @Override
    public int access()
    {
        return access;
    }

    @Override
    public boolean isOpen()
    {
        return open;
    }

    /**
     * @param start  the first byte of an entry.
     * @param bytes  its length.
     * @return true while registered with its memory alive, and the range lies inside.
     */
    boolean covers(final long start, final long bytes)
    {
        return open && start >= address && bytes <= length && start - address <= length - bytes &&
            segment.scope().isAlive();
    }

    @Override
    public synchronized void close() throws VerbsException
    {
        if (!open)
        {
            return;
        }
        Ibverbs.deregMr(mr);
        open = false;
        pd.onRegionClosed(this);
    }

    @Override
    public String toString()
    {
        return "NativeMemoryRegion[" + length + " bytes at 0x" + Long.toHexString(address) + ", lkey 0x" +
            Integer.toHexString(lkey) + ", rkey 0x" + Integer.toHexString(rkey) + "]";
    }
}
