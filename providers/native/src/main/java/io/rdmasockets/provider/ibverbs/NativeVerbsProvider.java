package io.rdmasockets.provider.ibverbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.NativeConnectionManager;
import io.rdmasockets.provider.ibverbs.internal.NativeDevices;
import io.rdmasockets.provider.ibverbs.internal.NativeStack;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.cm.ConnectionManager;

import java.util.List;

/**
 * The "native" verbs provider: the system's libibverbs and librdmacm through the Foreign Function and
 * Memory API, for RDMA NICs (InfiniBand, RoCE, iWARP) and the rxe/siw software devices. Available when
 * both libraries load with every symbol the bindings use, native access is enabled, and the kernel lists
 * at least one device; otherwise {@link #unavailabilityCause()} says which of these is missing and how to
 * fix it. Ranked above every software provider.
 *
 * <p><b>Note:</b> thread safe.
 */
public final class NativeVerbsProvider implements VerbsProvider
{
    /** The provider's name. */
    public static final String NAME = "native";
    /** Above shared memory and TCP emulation. */
    public static final int PRIORITY = 100;

    private NativeDevices devices;
    private NativeConnectionManager connectionManager;

    /** Constructs the provider; never fails, touches no native code. */
    public NativeVerbsProvider()
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
        return NativeStack.unavailabilityCause();
    }

    @Override
    public List<VerbsDevice> devices() throws VerbsException
    {
        checkAvailable();
        return devices0().list();
    }

    @Override
    public ConnectionManager connectionManager() throws VerbsException
    {
        checkAvailable();
        synchronized (this)
        {
            if (null == connectionManager)
            {
                connectionManager = new NativeConnectionManager(this, devices0());
            }
            return connectionManager;
        }
    }

    private synchronized NativeDevices devices0()
    {
        if (null == devices)
        {
            devices = new NativeDevices(this);
        }
        return devices;
    }

    private void checkAvailable() throws VerbsException
    {
        final Throwable cause = unavailabilityCause();
        if (null != cause)
        {
            throw new VerbsException(Errno.ENODEV, "verbs provider '" + NAME + "' is unavailable: " + cause.getMessage(),
                cause);
        }
    }

    @Override
    public String toString()
    {
        return "NativeVerbsProvider[" + NAME + "]";
    }
}
