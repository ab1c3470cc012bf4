package io.rdmasockets.provider.tcp.internal;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What every tcp provider instance in the JVM shares: key tables, queue pair numbers and the reactors.
 * Reactor threads run only while channels are registered.
 */
public final class TcpRuntime
{
    private static final class Holder
    {
        static final TcpRuntime INSTANCE = new TcpRuntime();
    }

    private final SecureRandom random = new SecureRandom();
    private final KeyTable lkeys = new KeyTable(random);
    private final KeyTable rkeys = new KeyTable(random);
    private final AtomicInteger qpNumbers = new AtomicInteger(random.nextInt(0x1000) + 1);
    private final Reactor[] reactors;
    private final AtomicInteger nextReactor = new AtomicInteger();
    private final long nodeGuid = hostGuid();
    /** Open connections, for {@link #diagnostics()} only (added once, removed at close). */
    private final Set<TcpConnection> connections = ConcurrentHashMap.newKeySet();

    private TcpRuntime()
    {
        reactors = new Reactor[TcpConfiguration.reactorCount()];
        for (int i = 0; i < reactors.length; i++)
        {
            reactors[i] = new Reactor(TcpConfiguration.THREAD_NAME_PREFIX + "reactor-" + i);
        }
    }

    /** @return the JVM-wide runtime. */
    public static TcpRuntime instance()
    {
        return Holder.INSTANCE;
    }

    KeyTable lkeys()
    {
        return lkeys;
    }

    KeyTable rkeys()
    {
        return rkeys;
    }

    /** @return the node GUID, stable per host name. */
    public long nodeGuid()
    {
        return nodeGuid;
    }

    /** @return a fresh 24-bit queue pair number, never 0 (wraps after 16M). */
    int newQpNumber()
    {
        int n;
        do
        {
            n = qpNumbers.getAndIncrement() & 0xFF_FFFF;
        }
        while (0 == n);
        return n;
    }

    /** @param c a new connection, listed by {@link #diagnostics()} until {@link #closed}. */
    void opened(final TcpConnection c)
    {
        connections.add(c);
    }

    /** @param c a closed connection. */
    void closed(final TcpConnection c)
    {
        connections.remove(c);
    }

    /**
     * @return the reactors (with their threads' stacks) and every open connection's transport state,
     *         read without locks; for the provider's {@code diagnostics()}.
     */
    public String diagnostics()
    {
        final StringBuilder b = new StringBuilder();
        for (final Reactor r : reactors)
        {
            b.append(r.describe()).append('\n');
        }
        b.append(connections.size()).append(" open connection(s)\n");
        for (final TcpConnection c : connections)
        {
            b.append(c.describe()).append('\n');
        }
        return b.toString();
    }

    /** @return the reactor for a new channel, round robin. */
    Reactor nextReactor()
    {
        return reactors[Math.floorMod(nextReactor.getAndIncrement(), reactors.length)];
    }

    private static long hostGuid()
    {
        String host;
        try
        {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (final Exception ex)
        {
            host = "localhost";
        }
        long h = 0xcbf29ce484222325L;
        for (final byte b : ("rdmasockets-tcp:" + host).getBytes(StandardCharsets.UTF_8))
        {
            h = (h ^ (b & 0xFF)) * 0x100000001b3L;
        }
        return h;
    }
}
