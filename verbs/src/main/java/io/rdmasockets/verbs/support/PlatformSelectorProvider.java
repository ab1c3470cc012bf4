package io.rdmasockets.verbs.support;

import java.lang.reflect.Method;
import java.nio.channels.spi.SelectorProvider;

/**
 * The JDK's own {@link SelectorProvider}, for the sockets a software provider (and the NIO provider's kernel
 * sockets) really opens. When rdmasockets' NIO provider is the system-wide one
 * ({@code -Djava.nio.channels.spi.SelectorProvider}, {@code rsock run}), {@link SelectorProvider#provider()}
 * returns that provider, whose sockets may be rsockets, which would be opened over this provider again; the
 * platform default is therefore taken from {@code sun.nio.ch}, which must then be exported to this code
 * ({@code rsock run}'s agent does it; by hand: {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}).
 */
public final class PlatformSelectorProvider
{
    private static volatile SelectorProvider platform;

    private PlatformSelectorProvider()
    {
    }

    /**
     * @return the JDK's default provider.
     * @throws IllegalStateException when the system-wide provider is rdmasockets' and the JDK's cannot be
     *                               reached; the message says how to fix it.
     */
    public static SelectorProvider get()
    {
        SelectorProvider p = platform;
        if (null == p)
        {
            p = lookup();
            platform = p;
        }
        return p;
    }

    private static SelectorProvider lookup()
    {
        try
        {
            final Class<?> c = Class.forName("sun.nio.ch.DefaultSelectorProvider");
            final Method get = c.getMethod("get");
            return (SelectorProvider)get.invoke(null);
        }
        catch (final ReflectiveOperationException | RuntimeException e)
        {
            final String property = System.getProperty("java.nio.channels.spi.SelectorProvider");
            if (null == property || !property.startsWith("io.rdmasockets."))
            {
                // Not routed: the system-wide provider is the JDK's (or the application's own choice).
                return SelectorProvider.provider();
            }
            throw new IllegalStateException("rdmasockets: the JDK's own SelectorProvider is not reachable while " +
                property + " is the system-wide one: add --add-exports java.base/sun.nio.ch=ALL-UNNAMED " +
                "(rsock run and its agent do this)", e);
        }
    }
}
