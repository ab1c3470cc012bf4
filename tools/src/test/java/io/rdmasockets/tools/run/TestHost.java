package io.rdmasockets.tools.run;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the unmodified test programs listen and connect: loopback on the build machine;
 * {@code -Drdmasockets.test.address} elsewhere (the Soft-RoCE guest's eth0 address, as rxe cannot reach
 * 127.0.0.1). The property is a test setting, not something an application would know of.
 */
public final class TestHost
{
    /** System property: the address the programs use. */
    public static final String ADDRESS_PROP_NAME = "rdmasockets.test.address";

    private TestHost()
    {
    }

    /** @return the address to listen on and connect to. */
    public static InetAddress address()
    {
        final String host = System.getProperty(ADDRESS_PROP_NAME);
        if (null == host || host.isBlank())
        {
            return InetAddress.getLoopbackAddress();
        }
        try
        {
            return InetAddress.getByName(host);
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalArgumentException(ADDRESS_PROP_NAME + "=" + host + ": " + e.getMessage(), e);
        }
    }
}
