package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvDeviceAttrDescriptor;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.PortAttributes;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.support.ChildCount;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.IbvDeviceAttrDescriptor.*;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.ACTIVE_MTU;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.ACTIVE_SPEED;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.ACTIVE_WIDTH;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.GID_TBL_LEN;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.LID;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.LINK_LAYER;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.MAX_MTU;
import static io.rdmasockets.provider.ibverbs.internal.abi.IbvPortAttrDescriptor.STATE;

/**
 * An open device, {@code struct ibv_context}: either opened here ({@link io.rdmasockets.verbs.VerbsDevice#open},
 * closed by {@link #close()}), or the context librdmacm opened for its ids, which librdmacm owns: closing
 * that one does nothing, and its {@link #defaultProtectionDomain()} lives as long as the provider.
 */
final class NativeContext implements VerbsContext
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;

    private final NativeDevice device;
    private final MemorySegment context;
    private final boolean owned;
    private final ChildCount children = new ChildCount("context");
    private NativeProtectionDomain defaultPd;
    private volatile int portCount;

    NativeContext(final NativeDevice device, final MemorySegment context, final boolean owned)
    {
        this.device = device;
        this.context = context;
        this.owned = owned;
    }

    /** @return {@code struct ibv_context *}. */
    MemorySegment pointer()
    {
        return context;
    }

    ChildCount children()
    {
        return children;
    }

    @Override
    public VerbsDevice device()
    {
        return device;
    }

    @Override
    public DeviceAttributes queryDevice() throws VerbsException
    {
        checkOpen();
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(IbvDeviceAttrDescriptor.LAYOUT);
            Ibverbs.queryDevice(context, a);
            final DeviceAttributes attributes = new DeviceAttributes(
                a.asSlice(FW_VER, FW_VER_LENGTH).getString(0),
                Long.reverseBytes(a.get(ValueLayout.JAVA_LONG, NODE_GUID)),
                a.get(INT, VENDOR_ID),
                a.get(INT, VENDOR_PART_ID),
                saturated(a.get(ValueLayout.JAVA_LONG, MAX_MR_SIZE)),
                a.get(INT, MAX_QP),
                a.get(INT, MAX_QP_WR),
                a.get(INT, MAX_SGE),
                a.get(INT, MAX_CQ),
                a.get(INT, MAX_CQE),
                a.get(INT, MAX_MR),
                a.get(INT, MAX_PD),
                a.get(INT, MAX_QP_RD_ATOM),
                a.get(INT, MAX_QP_INIT_RD_ATOM),
                a.get(ValueLayout.JAVA_BYTE, PHYS_PORT_CNT) & 0xFF);
            portCount = attributes.physPortCount();
            return attributes;
        }
    }

    /** @return a u64 as a long; beyond Long.MAX_VALUE ("no limit": rxe reports ~0) saturates. */
    private static long saturated(final long unsigned)
    {
        return unsigned < 0 ? Long.MAX_VALUE : unsigned;
    }

    @Override
    public PortAttributes queryPort(final int portNumber) throws VerbsException
    {
        checkOpen();
        if (0 == portCount)
        {
            queryDevice();
        }
        if (portNumber < 1 || portNumber > portCount)
        {
            throw new VerbsException(Errno.EINVAL, "queryPort(" + portNumber + "): " + device.name() + " has ports 1.." +
                portCount);
        }
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment a = arena.allocate(IbvPortAttrDescriptor.LAYOUT);
            Ibverbs.queryPort(context, portNumber, a);
            final int linkLayer = a.get(ValueLayout.JAVA_BYTE, LINK_LAYER);
            return new PortAttributes(
                PortAttributes.PortState.of(a.get(INT, STATE)),
                PortAttributes.mtuBytes(a.get(INT, MAX_MTU)),
                PortAttributes.mtuBytes(a.get(INT, ACTIVE_MTU)),
                1 == linkLayer ? PortAttributes.LinkLayer.INFINIBAND
                    : 2 == linkLayer ? PortAttributes.LinkLayer.ETHERNET : PortAttributes.LinkLayer.UNSPECIFIED,
                a.get(INT, GID_TBL_LEN),
                a.get(ValueLayout.JAVA_SHORT, LID) & 0xFFFF,
                PortSpeed.describe(a.get(ValueLayout.JAVA_BYTE, ACTIVE_WIDTH) & 0xFF,
                    a.get(ValueLayout.JAVA_BYTE, ACTIVE_SPEED) & 0xFF));
        }
    }

    @Override
    public ProtectionDomain allocateProtectionDomain() throws VerbsException
    {
        return allocatePd(false);
    }

    private NativeProtectionDomain allocatePd(final boolean kept) throws VerbsException
    {
        children.add();
        try
        {
            return new NativeProtectionDomain(this, Ibverbs.allocPd(context), kept);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            children.remove();
            throw e;
        }
    }

    /**
     * @return the domain the connection manager's ids use by default (librdmacm's per-device PD, kept here
     *         so that it outlives every id); allocated on first use.
     * @throws VerbsException when it cannot be allocated.
     */
    synchronized NativeProtectionDomain defaultProtectionDomain() throws VerbsException
    {
        if (null == defaultPd)
        {
            defaultPd = allocatePd(true);
        }
        return defaultPd;
    }

    @Override
    public CompletionChannel createCompletionChannel() throws VerbsException
    {
        children.add();
        final MemorySegment channel;
        try
        {
            channel = Ibverbs.createCompChannel(context);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            children.remove();
            throw e;
        }
        try
        {
            return new NativeCompletionChannel(this, channel);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            destroyQuietly(() -> Ibverbs.destroyCompChannel(channel));
            children.remove();
            throw e;
        }
    }

    @Override
    public CompletionQueue createCompletionQueue(final int minEntries, final CompletionChannel channel, final int vector)
        throws VerbsException
    {
        if (minEntries < 1)
        {
            throw new VerbsException(Errno.EINVAL, "createCompletionQueue(" + minEntries + "): at least 1 entry");
        }
        NativeCompletionChannel ch = null;
        if (null != channel)
        {
            if (!(channel instanceof NativeCompletionChannel c) || c.nativeContext() != this)
            {
                throw new VerbsException(Errno.EINVAL, "createCompletionQueue: completion channel of another context: " +
                    channel);
            }
            ch = c;
        }
        return NativeCompletionQueue.create(this, minEntries, ch, vector);
    }

    @Override
    public boolean isOpen()
    {
        return children.isOpen();
    }

    @Override
    public void close() throws VerbsException
    {
        if (owned)
        {
            children.close(() -> Ibverbs.closeDevice(context));
        }
    }

    private void checkOpen() throws VerbsException
    {
        if (!children.isOpen())
        {
            throw new VerbsException(Errno.EBADF, "context of " + device.name() + " is closed");
        }
    }

    static void destroyQuietly(final NativeAction destroy)
    {
        try
        {
            destroy.run();
        }
        catch (final VerbsException ignore)
        {
            // Undoing a half-made resource after a failure that is being reported.
        }
    }

    @Override
    public String toString()
    {
        return "NativeContext[" + device.name() + (owned ? "" : ", librdmacm's") + "]";
    }
}
