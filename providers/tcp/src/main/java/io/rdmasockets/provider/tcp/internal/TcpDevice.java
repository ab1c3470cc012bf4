package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.PortAttributes;
import io.rdmasockets.verbs.TransportType;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsProvider;

/** The one device of the tcp provider, {@code tcp0}, with its limits. */
public final class TcpDevice implements VerbsDevice
{
    /** The device name. */
    public static final String NAME = "tcp0";
    /** Work requests per queue. */
    public static final int MAX_QP_WR = 16384;
    /** Scatter/gather entries per work request. */
    public static final int MAX_SGE = 16;
    /** Completions per queue. */
    public static final int MAX_CQE = 1 << 20;
    /** Inline bytes per send. */
    public static final int MAX_INLINE_DATA = 1024;
    /** Outstanding RDMA reads (advisory: not enforced). */
    public static final int MAX_RD_ATOM = 16;
    /** Port MTU in bytes. */
    public static final int MTU = 4096;

    private final VerbsProvider provider;
    private final TcpRuntime runtime;
    private final DeviceAttributes attributes;
    private final PortAttributes port;

    /**
     * @param provider the provider that lists the device.
     * @param runtime  the shared runtime.
     */
    public TcpDevice(final VerbsProvider provider, final TcpRuntime runtime)
    {
        this.provider = provider;
        this.runtime = runtime;
        this.attributes = new DeviceAttributes("rdmasockets-tcp 1", runtime.nodeGuid(), 0, 0, 1L << 40,
            1 << 16, MAX_QP_WR, MAX_SGE, 1 << 16, MAX_CQE, 1 << 20, 1 << 16, MAX_RD_ATOM, MAX_RD_ATOM, 1);
        this.port = new PortAttributes(PortAttributes.PortState.ACTIVE, MTU, MTU,
            PortAttributes.LinkLayer.ETHERNET, 1, 0, "software");
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public long guid()
    {
        return runtime.nodeGuid();
    }

    @Override
    public VerbsProvider provider()
    {
        return provider;
    }

    @Override
    public TransportType transportType()
    {
        return TransportType.SOFTWARE;
    }

    @Override
    public VerbsContext open()
    {
        return new TcpContext(this);
    }

    TcpRuntime runtime()
    {
        return runtime;
    }

    DeviceAttributes attributes()
    {
        return attributes;
    }

    PortAttributes port()
    {
        return port;
    }

    @Override
    public String toString()
    {
        return "TcpDevice[" + NAME + "]";
    }
}
