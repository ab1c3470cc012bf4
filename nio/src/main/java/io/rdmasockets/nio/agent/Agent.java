package io.rdmasockets.nio.agent;

import io.rdmasockets.nio.RdmaSelectorProvider;

import io.rdmasockets.nio.channels.SocketFactories;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.channels.spi.SelectorProvider;
import java.util.Map;
import java.util.Set;

/**
 * The Java agent that {@code rsock run} puts in front of an unmodified application, the JVM's counterpart of
 * {@code LD_PRELOAD=librspreload.so}: it makes {@link RdmaSelectorProvider} the system-wide provider (unless
 * {@code -Djava.nio.channels.spi.SelectorProvider} names another) and routes {@code java.net.Socket} and
 * {@code ServerSocket} through it. Agent arguments: none.
 */
public final class Agent
{
    /** The system property the JDK reads for the provider. */
    public static final String PROVIDER_PROP_NAME = "java.nio.channels.spi.SelectorProvider";

    private Agent()
    {
    }

    /**
     * Installs the provider and the socket factories before the application's main method runs, after
     * exporting {@code sun.nio.ch} to this code: the provider reaches the JDK's own provider there, for
     * kernel sockets.
     *
     * @param args            the agent arguments (unused).
     * @param instrumentation what the JVM gives agents.
     */
    public static void premain(final String args, final Instrumentation instrumentation)
    {
        instrumentation.redefineModule(Object.class.getModule(), Set.of(),
            Map.of("sun.nio.ch", Set.of(Agent.class.getModule())), Map.of(), Set.of(), Map.of());
        install();
    }

    /** Installs the provider and the socket factories (the JDK's provider must be reachable already). */
    private static void install()
    {
        if (null == System.getProperty(PROVIDER_PROP_NAME))
        {
            System.setProperty(PROVIDER_PROP_NAME, RdmaSelectorProvider.class.getName());
        }
        final SelectorProvider provider = SelectorProvider.provider();
        if (!(provider instanceof RdmaSelectorProvider))
        {
            System.err.println("rdmasockets agent: the NIO provider is " + provider.getClass().getName() +
                ", not " + RdmaSelectorProvider.class.getName() + ": sockets are not routed");
            return;
        }
        try
        {
            SocketFactories.install(provider);
        }
        catch (final IOException | RuntimeException e)
        {
            System.err.println("rdmasockets agent: java.net sockets are not routed: " + e);
        }
    }
}
