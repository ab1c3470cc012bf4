package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.CmEventChannel;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.ConnectionManager;
import io.rdmasockets.verbs.cm.PortSpace;

/**
 * The tcp provider's connection manager: ids listen and connect on IP:port over TCP. RC port spaces
 * (TCP, IB) are supported; UDP and IPoIB (UD queue pairs) answer EOPNOTSUPP for now.
 */
public final class TcpConnectionManager implements ConnectionManager
{
    private final VerbsProvider provider;
    private final TcpDevice device;
    private TcpContext defaultContext;
    private TcpProtectionDomain defaultPd;

    /**
     * @param provider the provider.
     * @param device   its device.
     */
    public TcpConnectionManager(final VerbsProvider provider, final TcpDevice device)
    {
        this.provider = provider;
        this.device = device;
    }

    @Override
    public VerbsProvider provider()
    {
        return provider;
    }

    @Override
    public CmEventChannel createEventChannel()
    {
        return new TcpCmEventChannel(this);
    }

    @Override
    public CmId createId(final CmEventChannel channel, final PortSpace portSpace, final Object context)
        throws VerbsException
    {
        if (PortSpace.TCP != portSpace && PortSpace.IB != portSpace)
        {
            throw new VerbsException(Errno.EOPNOTSUPP, "createId: the tcp provider supports RC port spaces " +
                "(TCP, IB) only, not " + portSpace);
        }
        if (!(channel instanceof TcpCmEventChannel c) || c.manager() != this)
        {
            throw new VerbsException(Errno.EINVAL, "createId: event channel of another connection manager");
        }
        c.resources().add();
        return new TcpCmId(this, c, portSpace, context);
    }

    /** @return librdmacm's per-device context, opened once and never closed. */
    synchronized TcpContext defaultContext()
    {
        if (null == defaultContext)
        {
            defaultContext = new TcpContext(device);
            defaultPd = new TcpProtectionDomain(defaultContext);
        }
        return defaultContext;
    }

    /** @return the default protection domain of {@link #defaultContext()}. */
    synchronized TcpProtectionDomain defaultPd()
    {
        defaultContext();
        return defaultPd;
    }
}
