package io.rdmasockets.provider.tcp;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.tcp.internal.TcpConfiguration;
import io.rdmasockets.provider.tcp.internal.TcpConnectionManager;
import io.rdmasockets.provider.tcp.internal.TcpDevice;
import io.rdmasockets.provider.tcp.internal.TcpRuntime;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.ConnectionManager;

import java.util.List;

/**
 * The "tcp" verbs provider: one software device {@code tcp0} whose RC queue pairs are TCP connections
 * (see {@link io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor} for the wire format). Always
 * available unless {@code -Drdmasockets.tcp.disabled=true}.
 *
 * <p><b>Note:</b> thread safe; every instance shares one per-JVM runtime (reactor threads, key tables).
 */
public final class TcpVerbsProvider implements VerbsProvider
{
    /** The provider's name. */
    public static final String NAME = "tcp";
    /** Below native hardware (100) and shared memory. */
    public static final int PRIORITY = 10;

    private TcpDevice device;
    private TcpConnectionManager connectionManager;

    /** Constructs the provider; never fails. */
    public TcpVerbsProvider()
    {
    }

    @Override
    public String name()
    {
        return NAME;
    }

    @Override
    public int priority()
    {
        return PRIORITY;
    }

    @Override
    public boolean isAvailable()
    {
        return null == unavailabilityCause();
    }

    @Override
    public Throwable unavailabilityCause()
    {
        if (TcpConfiguration.disabled())
        {
            return new IllegalStateException("disabled by -D" + TcpConfiguration.DISABLED_PROP_NAME +
                "=true; remove that property (or set it to false) to re-enable the tcp provider");
        }
        return null;
    }

    @Override
    public List<VerbsDevice> devices() throws VerbsException
    {
        checkAvailable();
        return List.of(device());
    }

    @Override
    public ConnectionManager connectionManager() throws VerbsException
    {
        checkAvailable();
        synchronized (this)
        {
            if (null == connectionManager)
            {
                connectionManager = new TcpConnectionManager(this, device());
            }
            return connectionManager;
        }
    }

    private synchronized TcpDevice device()
    {
        if (null == device)
        {
            device = new TcpDevice(this, TcpRuntime.instance());
        }
        return device;
    }

    private void checkAvailable() throws VerbsException
    {
        final Throwable cause = unavailabilityCause();
        if (null != cause)
        {
            throw new VerbsException(Errno.ENODEV, "verbs provider 'tcp' is unavailable: " + cause.getMessage(), cause);
        }
    }

    @Override
    public String diagnostics()
    {
        return TcpRuntime.instance().diagnostics();
    }

    @Override
    public String toString()
    {
        return "TcpVerbsProvider[" + NAME + "]";
    }
}
