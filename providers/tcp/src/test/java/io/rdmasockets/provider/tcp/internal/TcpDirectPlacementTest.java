package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reader's direct placement ({@link RegionWindow}): a body larger than the staging buffer is read from
 * the socket straight into the target region, byte-exact, across SGE boundaries and between regions; with
 * the threshold out of reach the same bodies go through the staging buffer.
 */
@Timeout(60)
class TcpDirectPlacementTest
{
    private static final int LENGTH = 4 << 20;

    @AfterEach
    void clearProperties()
    {
        System.clearProperty(TcpConfiguration.DIRECT_BYTES_PROP_NAME);
    }

    private static RcPair connect() throws Exception
    {
        return RcPair.connect(new TcpVerbsProvider(), InetAddress.getLoopbackAddress(), PairSpec.defaults());
    }

    private static FrameReader reader(final RcEndpoint side)
    {
        return ((TcpQueuePair)side.qp).connection().reader();
    }

    private static void assertPattern(final MemorySegment memory, final long from, final int seed, final long start,
        final long length)
    {
        for (long i = 0; i < length; i++)
        {
            final byte expected = Tests.patternByte(seed, start + i);
            final byte actual = memory.get(ValueLayout.JAVA_BYTE, from + i);
            if (expected != actual)
            {
                assertEquals(expected, actual, "byte " + (start + i));
            }
        }
    }

    @Test
    void shouldReadALargeWriteStraightIntoTheTargetRegion() throws Exception
    {
        try (RcPair pair = connect())
        {
            final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 11);
            final MemoryRegion dst = pair.server.register(LENGTH + 100, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            pair.client.post(1, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, LENGTH, dst.address() + 100,
                dst.rkey(), 0);
            assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
            assertPattern(dst.segment(), 100, 11, 0, LENGTH);
            assertTrue(reader(pair.server).directBytes() > LENGTH / 2,
                "most of the body bypasses the staging buffer: " + reader(pair.server).directBytes());
        }
    }

    @Test
    void shouldPlaceALargeSendAcrossTheReceivesEntriesAndRegions() throws Exception
    {
        try (RcPair pair = connect())
        {
            final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 12);
            final MemoryRegion first = pair.server.register(LENGTH / 3, Access.LOCAL_WRITE);
            final MemoryRegion second = pair.server.register(LENGTH, Access.LOCAL_WRITE);
            final int firstLength = LENGTH / 3 - 7;
            final ReceiveWorkRequest wr = pair.server.recvWr().wrId(5);
            wr.sgl().add(first, 7, firstLength).add(second, 0, LENGTH - firstLength);
            pair.server.postReceive(wr);
            pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, LENGTH, 0, 0, 0);
            final Wc recv = pair.server.awaitRecvCompletion();
            assertEquals(WcStatus.SUCCESS, recv.status());
            assertEquals(LENGTH, recv.byteLength());
            assertPattern(first.segment(), 7, 12, 0, firstLength);
            assertPattern(second.segment(), 0, 12, firstLength, LENGTH - firstLength);
            assertTrue(reader(pair.server).directBytes() > 0, "placed directly");
        }
    }

    @Test
    void shouldNotAllocateOnTheReactorThreadWhileReadingBodiesDirectly() throws Exception
    {
        try (RcPair pair = connect())
        {
            final int length = 1 << 20;
            final MemoryRegion src = pair.client.registerFilled(length, Access.LOCAL_WRITE, 14);
            final MemoryRegion dst = pair.server.register(length, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            final Thread reactor = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(TcpConfiguration.THREAD_NAME_PREFIX + "reactor"))
                .findFirst().orElseThrow();
            // A window duplicated per read would cost about 2 KiB more here (measured 640 against 2688 bytes).
            writes(pair, src, dst, length, 16);     // warm up
            final long before = allocatedBy(reactor);
            final long direct = reader(pair.server).directBytes();
            writes(pair, src, dst, length, 8);
            final long small = allocatedBy(reactor) - before;
            final long middle = allocatedBy(reactor);
            writes(pair, src, dst, length, 24);
            final long large = allocatedBy(reactor) - middle;
            assertTrue(reader(pair.server).directBytes() - direct > 16L * length, "read directly");
            assertTrue(large - small < 1024, "16 more 1 MiB writes allocated " + (large - small) + " bytes more");
        }
    }

    private static void writes(final RcPair pair, final MemoryRegion src, final MemoryRegion dst, final int length,
        final int count)
    {
        for (int i = 0; i < count; i++)
        {
            pair.client.post(i, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, length, dst.address(), dst.rkey(), 0);
            assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
        }
    }

    private static long allocatedBy(final Thread thread) throws Exception
    {
        final Object threads = Class.forName("java.lang.management.ManagementFactory")
            .getMethod("getThreadMXBean").invoke(null);
        return (long)Class.forName("com.sun.management.ThreadMXBean")
            .getMethod("getThreadAllocatedBytes", long.class).invoke(threads, thread.threadId());
    }

    @Test
    void shouldCopyThroughTheStagingBufferBelowTheThreshold() throws Exception
    {
        System.setProperty(TcpConfiguration.DIRECT_BYTES_PROP_NAME, Integer.toString(Integer.MAX_VALUE));
        try (RcPair pair = connect())
        {
            final MemoryRegion src = pair.client.registerFilled(LENGTH, Access.LOCAL_WRITE, 13);
            final MemoryRegion dst = pair.server.register(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            pair.client.post(1, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, LENGTH, dst.address(), dst.rkey(), 0);
            assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
            assertPattern(dst.segment(), 0, 13, 0, LENGTH);
            assertEquals(0, reader(pair.server).directBytes());
        }
    }
}
