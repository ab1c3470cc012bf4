package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.abi.IbvContextDescriptor;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.PortSpace;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * librdmacm as the SPI's connection manager. Keeps the Java object of every live {@code rdma_cm_id} by
 * address, so that events name the very {@link CmId} the application holds, and one {@link NativeContext}
 * per device context librdmacm opened, with the protection domain its ids use by default.
 *
 * <p><b>Note:</b> thread safe.
 */
public final class NativeConnectionManager implements ConnectionManager
{
    private final VerbsProvider provider;
    private final NativeDevices devices;
    private final Map<Long, NativeCmId> ids = new ConcurrentHashMap<>();
    private final Map<Long, NativeContext> contexts = new HashMap<>();

    /**
     * @param provider the provider.
     * @param devices  its devices.
     */
    public NativeConnectionManager(final VerbsProvider provider, final NativeDevices devices)
    {
        this.provider = provider;
        this.devices = devices;
    }

    @Override
    public VerbsProvider provider()
    {
        return provider;
    }

    @Override
    public CmEventChannel createEventChannel() throws VerbsException
    {
        final MemorySegment channel = RdmaCm.createEventChannel();
        try
        {
            return new NativeCmEventChannel(this, channel);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            RdmaCm.destroyEventChannel(channel);
            throw e;
        }
    }

    @Override
    public CmId createId(final CmEventChannel channel, final PortSpace portSpace, final Object context)
        throws VerbsException
    {
        if (PortSpace.TCP != portSpace && PortSpace.IB != portSpace)
        {
            throw new VerbsException(Errno.EOPNOTSUPP, "createId: the native provider creates RC ids (port spaces " +
                "TCP, IB), not " + portSpace);
        }
        final NativeCmEventChannel ch = channelOf(channel, "createId");
        ch.children().add();
        try
        {
            final NativeCmId id = new NativeCmId(this, ch, portSpace, context, RdmaCm.createId(ch.pointer(),
                portSpace.code()), false);
            ids.put(id.address(), id);
            return id;
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            ch.children().remove();
            throw e;
        }
    }

    NativeCmEventChannel channelOf(final CmEventChannel channel, final String what) throws VerbsException
    {
        if (!(channel instanceof NativeCmEventChannel c) || c.manager() != this)
        {
            throw new VerbsException(Errno.EINVAL, what + ": event channel of another connection manager: " + channel);
        }
        return c;
    }

    /**
     * The id librdmacm created for a CONNECT_REQUEST, on the channel the request arrived on.
     *
     * @return the id, or {@code null} when the channel is closing.
     */
    NativeCmId incoming(final MemorySegment id, final NativeCmEventChannel channel, final NativeCmId listener)
    {
        try
        {
            channel.children().add();
        }
        catch (final VerbsException e)
        {
            return null;
        }
        final NativeCmId child = new NativeCmId(this, channel, listener.portSpace(), listener.context(), id, true);
        ids.put(child.address(), child);
        return child;
    }

    /** @return the live id at that address, or {@code null}. */
    NativeCmId lookup(final long address)
    {
        return ids.get(address);
    }

    void forget(final NativeCmId id)
    {
        ids.remove(id.address(), id);
    }

    /**
     * @param context a {@code struct ibv_context *} librdmacm opened.
     * @return its context object (the same for the provider's lifetime).
     * @throws VerbsException when its device or default protection domain cannot be had.
     */
    synchronized NativeContext contextOf(final MemorySegment context) throws VerbsException
    {
        NativeContext c = contexts.get(context.address());
        if (null == c)
        {
            final MemorySegment device = context.reinterpret(IbvContextDescriptor.LAYOUT.byteSize())
                .get(ValueLayout.ADDRESS, IbvContextDescriptor.DEVICE);
            c = new NativeContext(devices.of(device), context, false);
            c.defaultProtectionDomain();
            contexts.put(context.address(), c);
        }
        return c;
    }

    @Override
    public String toString()
    {
        return "NativeConnectionManager[" + ids.size() + " ids]";
    }
}
