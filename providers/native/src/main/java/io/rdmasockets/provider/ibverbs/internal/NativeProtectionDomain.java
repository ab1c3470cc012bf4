package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvResourceDescriptors;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.support.ChildCount;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A protection domain, {@code struct ibv_pd}, with the table of its live regions by lkey. */
final class NativeProtectionDomain implements ProtectionDomain
{
    /** An unstarted thread: a segment it may access is not confined to some owner thread. */
    private static final Thread PROBE = Thread.ofPlatform().unstarted(() -> { });

    private final NativeContext context;
    private final MemorySegment pd;
    private final boolean kept;
    private final ChildCount children = new ChildCount("protection domain");
    private final RegionTable regions = new RegionTable();

    /**
     * @param context the context.
     * @param pd      {@code struct ibv_pd *}.
     * @param kept    the connection manager's default domain: {@link #close()} leaves it alone.
     */
    NativeProtectionDomain(final NativeContext context, final MemorySegment pd, final boolean kept)
    {
        this.context = context;
        this.pd = pd;
        this.kept = kept;
    }

    MemorySegment pointer()
    {
        return pd;
    }

    NativeContext nativeContext()
    {
        return context;
    }

    ChildCount children()
    {
        return children;
    }

    RegionTable regions()
    {
        return regions;
    }

    @Override
    public VerbsContext context()
    {
        return context;
    }

    @Override
    public MemoryRegion registerMemory(final MemorySegment segment, final int access) throws VerbsException
    {
        if (null == segment || !segment.isNative() || segment.isReadOnly() || 0 == segment.byteSize())
        {
            throw new VerbsException(Errno.EINVAL, "registerMemory: need a non-empty, writable native segment: " +
                segment);
        }
        if (!Access.isValid(access))
        {
            throw new VerbsException(Errno.EINVAL, "registerMemory: invalid access " + Access.toString(access));
        }
        if (!segment.scope().isAlive())
        {
            throw new VerbsException(Errno.EINVAL, "registerMemory: the segment's arena is closed");
        }
        if (!segment.isAccessibleBy(PROBE))
        {
            throw new VerbsException(Errno.EINVAL, "registerMemory: the segment belongs to a confined arena; " +
                "the device reaches registered memory whenever the peer acts, and the provider checks inline " +
                "payloads from any posting thread, so allocate it from Arena.ofShared(), Arena.ofAuto() or " +
                "Arena.global()");
        }
        children.add();
        try
        {
            final MemorySegment mr = Ibverbs.regMr(pd, segment, access).reinterpret(IbvResourceDescriptors.MR.byteSize());
            final NativeMemoryRegion region = new NativeMemoryRegion(this, mr, segment, access,
                mr.get(ValueLayout.JAVA_INT, IbvResourceDescriptors.MR_LKEY),
                mr.get(ValueLayout.JAVA_INT, IbvResourceDescriptors.MR_RKEY));
            regions.add(region);
            return region;
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            children.remove();
            throw e;
        }
    }

    void onRegionClosed(final NativeMemoryRegion region)
    {
        regions.remove(region);
        children.remove();
    }

    @Override
    public QueuePair createQueuePair(final QueuePairInitAttributes attributes) throws VerbsException
    {
        checkOpen();
        return NativeQueuePair.create(this, attributes, null);
    }

    void checkOpen() throws VerbsException
    {
        if (!children.isOpen())
        {
            throw new VerbsException(Errno.EBADF, "protection domain is closed");
        }
    }

    @Override
    public boolean isOpen()
    {
        return children.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        if (!kept && children.close(() -> Ibverbs.deallocPd(pd)))
        {
            context.children().remove();
        }
    }

    @Override
    public String toString()
    {
        return "NativeProtectionDomain[" + context.device().name() + (kept ? ", default" : "") + "]";
    }
}
