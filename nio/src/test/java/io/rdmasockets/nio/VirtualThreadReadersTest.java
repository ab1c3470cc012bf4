package io.rdmasockets.nio;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Virtual threads blocked in rsocket reads do not pin their carriers: 10,000 readers (both ends of 5,000
 * rsocket connections) block while the scheduler has 2 carriers and may add none
 * ({@code jdk.virtualThreadScheduler.parallelism=2}, {@code maxPoolSize=2}, set by the build); a virtual
 * writer must still run and release them all. One pinned reader per carrier would stop it for good.
 */
@Timeout(300)
class VirtualThreadReadersTest
{
    /** The tcp provider's staging buffer per connection end ({@code TcpConfiguration}). */
    private static final String BUFFER_LENGTH = "rdmasockets.tcp.bufferLength";
    private static final int PAIRS = 5_000;
    private final List<SocketChannel> channels = new ArrayList<>();
    private ServerSocketChannel server;
    private String bufferLength;

    @AfterEach
    void close() throws IOException
    {
        for (final SocketChannel c : channels)
        {
            c.close();
        }
        if (null != server)
        {
            server.close();
        }
        if (null == bufferLength)
        {
            System.clearProperty(BUFFER_LENGTH);
        }
        else
        {
            System.setProperty(BUFFER_LENGTH, bufferLength);
        }
    }

    /** @return connections the open-file limit leaves room for (two descriptors each, one per end). */
    private static int pairsAllowed() throws IOException
    {
        for (final String line : Files.readAllLines(Path.of("/proc/self/limits")))
        {
            if (line.startsWith("Max open files"))
            {
                final long soft = Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
                return (int)Math.min(PAIRS, Math.max(64, (soft - 1_000) / 2));
            }
        }
        return PAIRS;
    }

    @Test
    void shouldKeepTenThousandReadersFromPinningTwoCarriers() throws Exception
    {
        assertEquals("2", System.getProperty("jdk.virtualThreadScheduler.maxPoolSize"), "run by the build's argLine");
        // Small staging buffers and rings: 10,000 ends fit in a test JVM.
        bufferLength = System.getProperty(BUFFER_LENGTH);
        System.setProperty(BUFFER_LENGTH, "16384");
        final RdmaSelectorProvider provider = new RdmaSelectorProvider(Router.allRsockets());
        final int pairs = pairsAllowed();
        System.out.println("virtual readers: " + 2 * pairs + " on " + pairs + " rsocket connections");
        server = provider.openServerSocketChannel().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), pairs);
        for (int i = 0; i < pairs; i++)
        {
            final SocketChannel c = provider.openSocketChannel();
            channels.add(c);
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
            c.setOption(StandardSocketOptions.SO_SNDBUF, 4096);
            c.connect(server.getLocalAddress());
            channels.add(server.accept());
        }
        assertTrue(channels.getFirst().toString().contains("rsocket"), channels.getFirst().toString());
        final AtomicInteger received = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(channels.size());
        for (final SocketChannel c : channels)
        {
            Thread.ofVirtual().start(() ->
            {
                try
                {
                    if (1 == c.read(ByteBuffer.allocate(1)))
                    {
                        received.incrementAndGet();
                    }
                }
                catch (final IOException e)
                {
                    e.printStackTrace();
                }
                finally
                {
                    done.countDown();
                }
            });
        }
        Thread.sleep(1_000);
        assertEquals(channels.size(), done.getCount(), "every reader is blocked");
        final Thread writer = Thread.ofVirtual().start(() ->
        {
            for (final SocketChannel c : channels)
            {
                try
                {
                    c.write(ByteBuffer.wrap(new byte[] {1}));
                }
                catch (final IOException e)
                {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        assertTrue(done.await(120, TimeUnit.SECONDS), "readers still blocked: " + done.getCount());
        writer.join();
        assertEquals(channels.size(), received.get());
    }
}
