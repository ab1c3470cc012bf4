package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.rsocket.RdmaServerSocket;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.VerbsProvider;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;

/** A listener and a connected pair over the provider under test, plus platform threads for blocking work. */
final class Loopback implements AutoCloseable
{
    private final VerbsProvider provider;
    final RdmaServerSocket listener;
    RdmaSocket client;
    RdmaSocket server;
    private final List<AutoCloseable> extra = new ArrayList<>();
    // Own platform threads: the common pool has one worker on two cores and deadlocks blocking tests.
    private final ExecutorService threads = Executors.newCachedThreadPool(r ->
    {
        final Thread t = new Thread(r, "loopback-test");
        t.setDaemon(true);
        return t;
    });

    Loopback(final VerbsProvider provider) throws Exception
    {
        this.provider = provider;
        listener = new RdmaServerSocket(provider);
    }

    /** Binds the listener, connects a client and accepts it. */
    Loopback connect() throws Exception
    {
        if (!listener.isBound())
        {
            listener.bind(new InetSocketAddress(AbstractVerbsTest.testAddress(), 0), 8);
        }
        client = new RdmaSocket(provider);
        return connect(client);
    }

    /** Connects a client configured by the test and accepts it. */
    Loopback connect(final RdmaSocket configured) throws Exception
    {
        if (!listener.isBound())
        {
            listener.bind(new InetSocketAddress(AbstractVerbsTest.testAddress(), 0), 8);
        }
        client = configured;
        client.connect(address());
        server = listener.accept();
        return this;
    }

    InetSocketAddress address()
    {
        return (InetSocketAddress)listener.getLocalSocketAddress();
    }

    <T> Future<T> async(final Callable<T> task)
    {
        return threads.submit(task);
    }

    <T extends AutoCloseable> T track(final T c)
    {
        extra.add(c);
        return c;
    }

    @Override
    public void close()
    {
        threads.shutdownNow();
        for (final AutoCloseable c : extra)
        {
            try
            {
                c.close();
            }
            catch (final Exception ignored)
            {
                // Best effort.
            }
        }
        if (null != client)
        {
            client.close();
        }
        if (null != server)
        {
            server.close();
        }
        listener.close();
    }

    static byte[] random(final int size, final long seed)
    {
        final byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static long crc(final byte[] b)
    {
        final CRC32C c = new CRC32C();
        c.update(b);
        return c.getValue();
    }
}
