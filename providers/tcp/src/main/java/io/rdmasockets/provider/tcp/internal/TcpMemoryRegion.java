package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registered region: native memory named by a random lkey and rkey from the runtime's key tables.
 * Remote accesses check {@link #contains}, {@link #access()} and the protection domain at the target.
 */
final class TcpMemoryRegion implements MemoryRegion
{
    private final TcpProtectionDomain pd;
    private final MemorySegment segment;
    private final long address;
    private final long length;
    private final int access;
    private int lkey;
    private int rkey;
    private volatile boolean open = true;
    /** Copies into or out of the region under way ({@link #acquire}); close waits for them, as ibv_dereg_mr fences DMA. */
    private final AtomicInteger users = new AtomicInteger();
    /** The memory as one ByteBuffer (socket reads straight into it), or null when over 2 GiB; shared, so duplicated. */
    private final ByteBuffer view;

    TcpMemoryRegion(final TcpProtectionDomain pd, final MemorySegment segment, final int access)
    {
        this.pd = pd;
        this.segment = segment;
        this.address = segment.address();
        this.length = segment.byteSize();
        this.access = access;
        this.view = segment.byteSize() <= Integer.MAX_VALUE ? segment.asByteBuffer() : null;
    }

    void keys(final int lkey, final int rkey)
    {
        this.lkey = lkey;
        this.rkey = rkey;
    }

    @Override
    public ProtectionDomain protectionDomain()
    {
        return pd;
    }

    TcpProtectionDomain pd()
    {
        return pd;
    }

    @Override
    public MemorySegment segment()
    {
        return segment;
    }

    /**
     * The memory as the provider's threads access it: the registered segment itself (of a shared, global
     * or automatic arena), so an arena closed under a running copy makes that copy throw instead of
     * writing freed memory; callers treat that as a protection error.
     *
     * @return the memory, or {@code null} once the region or its arena is closed.
     */
    MemorySegment memory()
    {
        return open && segment.scope().isAlive() ? segment : null;
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
     * @param virtualAddress first byte.
     * @param byteLength     bytes.
     * @return the offset inside the region, or -1 when the range is not wholly inside it.
     */
    long offsetOf(final long virtualAddress, final long byteLength)
    {
        final long offset = virtualAddress - address;
        if (offset < 0 || byteLength < 0 || offset > length - byteLength)
        {
            return -1;
        }
        return offset;
    }

    /**
     * @param domain the domain the accessing queue pair belongs to.
     * @param flags  the {@link Access} flags the access needs.
     * @return true when the region is registered, in that domain, and grants the flags.
     */
    boolean permits(final TcpProtectionDomain domain, final int flags)
    {
        return open && pd == domain && flags == (access & flags);
    }

    /**
     * For a copy into or out of the region by the provider (or a socket read straight into it): the
     * memory, held until {@link #release()} so that {@link #close()} cannot return while bytes still move.
     *
     * @return the memory, or {@code null} once the region or its arena is closed (nothing to release).
     */
    MemorySegment acquire()
    {
        users.incrementAndGet();
        if (!open || !segment.scope().isAlive())
        {
            users.decrementAndGet();
            return null;
        }
        return segment;
    }

    /** Ends an access started with {@link #acquire()}. */
    void release()
    {
        users.decrementAndGet();
    }

    /** @return the memory as a ByteBuffer shared by all users (duplicate it; see {@link RegionWindow}), or null. */
    ByteBuffer view()
    {
        return view;
    }

    /**
     * Deregisters: no new access is allowed, and a copy into the region already under way finishes
     * before this returns (one chunk at most), so the application may reuse the memory at once.
     */
    @Override
    public void close()
    {
        synchronized (this)
        {
            if (!open)
            {
                return;
            }
            open = false;
        }
        while (0 != users.get())
        {
            Thread.onSpinWait();
        }
        pd.onRegionClosed(this);
    }

    @Override
    public String toString()
    {
        return "TcpMemoryRegion[addr=0x" + Long.toHexString(address) + ", length=" + length + ", access=" +
            Access.toString(access) + "]";
    }
}
