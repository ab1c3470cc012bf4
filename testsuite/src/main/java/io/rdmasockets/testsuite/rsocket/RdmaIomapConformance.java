package io.rdmasockets.testsuite.rsocket;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.ErrnoCarrier;
import io.rdmasockets.rsocket.RdmaIomap;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.rsocket.RdmaSocketOptions;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** {@link RdmaIomap} on {@link RdmaSocket}: map segments and direct buffers, write from segments, buffers, arrays. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RdmaIomapConformance extends AbstractVerbsTest
{
    private final Arena arena = Arena.ofShared();
    private Loopback loop;

    @AfterEach
    public void closeAll() throws Exception
    {
        if (null != loop)
        {
            loop.close();
        }
        arena.close();
    }

    @Test
    public void shouldWriteSegmentsBuffersAndArraysIntoAMappedSegment() throws Exception
    {
        connect(2);
        final MemorySegment target = arena.allocate(3 * 70_000, 64);
        final byte[] data = Loopback.random(3 * 70_000, 1);
        try (RdmaIomap.Mapping m = loop.server.iomap().map(target, 500))
        {
            assertEquals(500, m.offset());
            assertSame(target, m.segment());
            publish(loop.server, loop.client);
            final RdmaIomap io = loop.client.iomap();
            assertEquals(70_000, io.write(MemorySegment.ofArray(Arrays.copyOfRange(data, 0, 70_000)), 500));
            final ByteBuffer direct = ByteBuffer.allocateDirect(70_000).put(data, 70_000, 70_000).flip();
            assertEquals(70_000, io.write(direct, 70_500));
            assertFalse(direct.hasRemaining(), "the position moved to the limit");
            io.write(data, 140_000, 70_000, 140_500);
            publish(loop.client, loop.server);
            assertArrayEquals(data, target.toArray(ValueLayout.JAVA_BYTE));
        }
        publish(loop.server, loop.client);
        final IOException e = assertThrows(IOException.class, () -> loop.client.iomap().write(new byte[1], 0, 1, 500));
        assertEquals(Errno.EFAULT.code(), ((ErrnoCarrier)e).errno(), e.getMessage());
    }

    @Test
    public void shouldMapADirectBufferAndRefuseWritesPastItsEnd() throws Exception
    {
        connect(1);
        final ByteBuffer target = ByteBuffer.allocateDirect(4096);
        try (RdmaIomap.Mapping m = loop.server.iomap().map(target, -1))
        {
            publish(loop.server, loop.client);
            final IOException e = assertThrows(IOException.class,
                () -> loop.client.iomap().write(new byte[2], 0, 2, m.offset() + 4095));
            assertEquals(Errno.EFAULT.code(), ((ErrnoCarrier)e).errno());
            loop.client.iomap().write(new byte[] {5, 6}, 0, 2, m.offset() + 4094);
            publish(loop.client, loop.server);
            assertEquals(5, target.get(4094));
            assertEquals(6, target.get(4095));
            assertEquals(0, target.get(4093));
        }
        assertThrows(IOException.class, () -> loop.server.iomap().map(ByteBuffer.allocate(16), 0), "heap buffer");
    }

    @Test
    public void shouldRefuseAMappingThePeerHasNoRoomForWithEnomem() throws Exception
    {
        connect(0);
        final IOException e = assertThrows(IOException.class, () -> loop.server.iomap().map(arena.allocate(64), 0));
        assertEquals(Errno.ENOMEM.code(), ((ErrnoCarrier)e).errno(), e.getMessage());
        try (RdmaIomap.Mapping local = loop.server.iomap().mapLocal(arena.allocate(64)))
        {
            assertEquals(local.segment().address(), local.offset());
        }
    }

    @Test
    public void shouldPlaceWritesForAReceiverThatOnlyWatchesItsMemoryAndReportThePeerGone() throws Exception
    {
        connect(1);
        final MemorySegment target = arena.allocate(1 << 20, 64);
        final byte[] data = Loopback.random(1 << 20, 7);
        data[data.length - 1] = 42;
        final RdmaIomap io = loop.server.iomap();
        try (RdmaIomap.Mapping m = io.map(target, 0))
        {
            assertEquals(0, m.offset());
            publish(loop.server, loop.client);
            loop.client.iomap().write(data, 0, data.length, 0);
            while (42 != target.get(ValueLayout.JAVA_BYTE, data.length - 1))
            {
                assertTrue(io.progress(), "the connection is up");
                Thread.onSpinWait();
            }
            // Verbs promise no order of placement within one write: a message after it does.
            publish(loop.client, loop.server);
            assertArrayEquals(data, target.toArray(ValueLayout.JAVA_BYTE));
        }
        loop.client.close();
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (io.progress())
        {
            assertTrue(System.nanoTime() < deadline, "progress() saw the peer's close within 10 s");
            Thread.onSpinWait();
        }
        loop.server.close();
        final IOException e = assertThrows(IOException.class, () -> loop.server.iomap().progress());
        assertEquals(Errno.EBADF.code(), ((ErrnoCarrier)e).errno(), e.getMessage());
    }

    private void connect(final int iomapSize) throws Exception
    {
        loop = new Loopback(provider());
        loop.listener.setOption(RdmaSocketOptions.RDMA_IOMAPSIZE, iomapSize);
        final RdmaSocket client = new RdmaSocket(provider());
        client.setOption(RdmaSocketOptions.RDMA_IOMAPSIZE, iomapSize);
        loop.connect(client);
    }

    /** One byte from {@code from} to {@code to}: mapping updates and riowrites before it are in place. */
    private static void publish(final RdmaSocket from, final RdmaSocket to) throws IOException
    {
        from.write(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(1, to.read(ByteBuffer.allocate(1)));
    }
}
