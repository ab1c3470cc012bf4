package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.support.ChildCount;

import java.lang.foreign.MemorySegment;

/** A protection domain: regions and queue pairs are only used together when they share one. */
final class TcpProtectionDomain implements ProtectionDomain
{
    private final TcpContext context;
    private final ChildCount resources = new ChildCount("protection domain");

    TcpProtectionDomain(final TcpContext context)
    {
        this.context = context;
    }

    @Override
    public VerbsContext context()
    {
        return context;
    }

    TcpContext tcpContext()
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
        if (NativeMemory.isConfined(segment))
        {
            throw new VerbsException(Errno.EINVAL, "registerMemory: the segment belongs to a confined arena; " +
                "the device reaches registered memory from its own threads, so allocate it from " +
                "Arena.ofShared(), Arena.ofAuto() or Arena.global()");
        }
        resources.add();
        final TcpMemoryRegion region = new TcpMemoryRegion(this, segment, access);
        final TcpRuntime runtime = context.runtime();
        region.keys(runtime.lkeys().add(region), runtime.rkeys().add(region));
        return region;
    }

    void onRegionClosed(final TcpMemoryRegion region)
    {
        final TcpRuntime runtime = context.runtime();
        runtime.lkeys().remove(region.lkey());
        runtime.rkeys().remove(region.rkey());
        resources.remove();
    }

    @Override
    public QueuePair createQueuePair(final QueuePairInitAttributes attributes) throws VerbsException
    {
        if (QpType.RC != attributes.type())
        {
            throw new VerbsException(Errno.EOPNOTSUPP, "createQueuePair: the tcp provider supports RC only, not " +
                attributes.type());
        }
        if (!(attributes.sendCq() instanceof TcpCompletionQueue sendCq) || sendCq.tcpContext() != context ||
            !(attributes.receiveCq() instanceof TcpCompletionQueue receiveCq) || receiveCq.tcpContext() != context)
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: completion queues of another context");
        }
        if (attributes.maxSendWr() > TcpDevice.MAX_QP_WR || attributes.maxRecvWr() > TcpDevice.MAX_QP_WR ||
            attributes.maxSendSge() > TcpDevice.MAX_SGE || attributes.maxRecvSge() > TcpDevice.MAX_SGE ||
            attributes.maxInlineData() > TcpDevice.MAX_INLINE_DATA)
        {
            throw new VerbsException(Errno.EINVAL, "createQueuePair: beyond device limits: " + attributes);
        }
        resources.add();
        try
        {
            sendCq.attach();
            try
            {
                receiveCq.attach();
            }
            catch (final VerbsException ex)
            {
                sendCq.detach();
                throw ex;
            }
        }
        catch (final VerbsException ex)
        {
            resources.remove();
            throw ex;
        }
        return new TcpQueuePair(this, sendCq, receiveCq, attributes, context.runtime().newQpNumber());
    }

    void onQueuePairClosed()
    {
        resources.remove();
    }

    @Override
    public boolean isOpen()
    {
        return resources.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        if (resources.close())
        {
            context.resources().remove();
        }
    }

    @Override
    public String toString()
    {
        return "TcpProtectionDomain[" + context.device().name() + "]";
    }
}
