package io.rdmasockets.testsuite.rsocket.posix;

import io.rdmasockets.rsocket.posix.MsgHdr;
import io.rdmasockets.rsocket.posix.SockAddr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import static io.rdmasockets.common.Errno.*;
import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/** The send and receive family: every buffer kind, flags, vectors and messages, with checksums. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class DataCallsConformance extends PosixFixture
{
    @ParameterizedTest
    @ValueSource(ints = {1, 4096, 1_000_003, 4 << 20})
    public void shouldMoveBytesBothWaysWithChecksums(final int size) throws Exception
    {
        final int[] p = pair(AF_INET);
        final byte[] up = random(size, 1);
        final byte[] down = random(size, 2);
        final Future<byte[]> atServer = async(() -> recvAll(p[1], size));
        final Future<Void> upload = async(() ->
        {
            assertEquals(size, rwrite(p[0], up, 0, size), "a blocking send sends it all");
            return null;
        });
        try (Arena arena = Arena.ofShared())
        {
            final MemorySegment in = arena.allocate(size);
            final Future<Long> atClient = async(() ->
            {
                long got = 0;
                while (got < size)
                {
                    final long n = rread(p[0], in.asSlice(got), size - got);
                    assertTrue(n > 0, () -> "rread: " + strerror(errno()));
                    got += n;
                }
                return got;
            });
            final MemorySegment native0 = arena.allocate(size);
            native0.copyFrom(MemorySegment.ofArray(down));
            assertEquals(size, rsend(p[1], native0, size, 0));
            assertEquals(size, atClient.get(50, TimeUnit.SECONDS));
            assertEquals(crc(down), crc(in.toArray(ValueLayout.JAVA_BYTE)));
        }
        upload.get(50, TimeUnit.SECONDS);
        assertEquals(crc(up), crc(atServer.get(50, TimeUnit.SECONDS)));
    }

    @Test
    public void shouldMoveByteBuffersAndAdvanceTheirPositions()
    {
        final int[] p = pair(AF_INET);
        final ByteBuffer direct = ByteBuffer.allocateDirect(64);
        direct.put(new byte[] {1, 2, 3, 4, 5}).flip().position(1);
        assertEquals(4, rsend(p[0], direct, 0));
        assertEquals(5, direct.position());
        final ByteBuffer readOnly = ByteBuffer.wrap(new byte[] {6, 7}).asReadOnlyBuffer();
        assertEquals(2, rsend(p[0], readOnly, 0));
        assertFalse(readOnly.hasRemaining());
        final ByteBuffer heap = ByteBuffer.allocate(16);
        heap.position(3);
        final ByteBuffer sliced = heap.slice();
        int got = 0;
        while (got < 6)
        {
            final int n = rrecv(p[1], sliced, 0);
            assertTrue(n > 0, () -> strerror(errno()));
            got += n;
        }
        assertArrayEquals(new byte[] {0, 0, 0, 2, 3, 4, 5, 6, 7}, java.util.Arrays.copyOf(heap.array(), 9));
        assertFails(EFAULT.code(), rrecv(p[1], ByteBuffer.allocate(4).asReadOnlyBuffer(), 0));
    }

    @Test
    public void shouldNotWaitWithMsgDontwaitOrONonblock()
    {
        final int[] p = pair(AF_INET);
        final byte[] b = new byte[8];
        assertFails(EAGAIN.code(), rrecv(p[1], b, 0, 8, MSG_DONTWAIT));
        assertEquals(0, rfcntl(p[1], F_SETFL, O_NONBLOCK));
        assertFails(EAGAIN.code(), rrecv(p[1], b, 0, 8, 0));
        assertFails(EAGAIN.code(), rread(p[1], b, 0, 8));
        sendAll(p[0], new byte[] {1, 2, 3});
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int n;
        while ((n = rrecv(p[1], b, 0, 8, 0)) < 0)
        {
            assertEquals(EAGAIN.code(), errno());
            assertTrue(System.nanoTime() < deadline);
        }
        assertEquals(3, n);

        // A sender that does not wait stops when the peer's window is full.
        final byte[] big = new byte[1 << 20];
        long sent = 0;
        int r;
        while ((r = rsend(p[0], big, 0, big.length, MSG_DONTWAIT)) > 0)
        {
            sent += r;
            assertTrue(sent < 64L << 20, "the window never filled");
        }
        assertFails(EAGAIN.code(), r);
        assertTrue(sent > 0);
    }

    @Test
    public void shouldPeekAndWaitForAll() throws Exception
    {
        final int[] p = pair(AF_INET);
        sendAll(p[0], new byte[] {10, 20, 30});
        final byte[] b = new byte[8];
        int n;
        do
        {
            n = rrecv(p[1], b, 0, 8, MSG_PEEK);
        }
        while (n > 0 && n < 3);
        assertEquals(3, n);
        assertEquals(3, rrecv(p[1], b, 4, 4, MSG_PEEK), "peeking again sees the same bytes");
        assertArrayEquals(new byte[] {10, 20, 30, 0, 10, 20, 30, 0}, b);
        final Future<Integer> all = async(() -> rrecv(p[1], b, 0, 6, MSG_WAITALL));
        Thread.sleep(100);
        assertFalse(all.isDone(), "MSG_WAITALL waits for the rest");
        sendAll(p[0], new byte[] {40, 50, 60});
        assertEquals(6, all.get(10, TimeUnit.SECONDS));
        assertArrayEquals(new byte[] {10, 20, 30, 40, 50, 60}, java.util.Arrays.copyOf(b, 6));
    }

    @Test
    public void shouldRefuseAnAddressOnAStreamWithEisconn() throws Exception
    {
        final int[] p = pair(AF_INET);
        final MemorySegment one = bytes((byte)1);
        assertFails(EISCONN.code(), rsendto(p[0], one, 1, 0, new InetSocketAddress(1)));
        assertEquals(1, rsendto(p[0], one, 1, 0, null));
        final MemorySegment in = MemorySegment.ofArray(new byte[4]);
        final SockAddr from = new SockAddr();
        assertEquals(1, rrecvfrom(p[1], in, 4, 0, from));
        final SockAddr peer = new SockAddr();
        assertEquals(0, rgetpeername(p[1], peer));
        assertEquals(peer.address(), from.address());
    }

    @Test
    public void shouldFailOnUnconnectedSocketsAndBadBuffers()
    {
        final int fd = socket(AF_INET);
        assertFails(ENOTCONN.code(), rsend(fd, new byte[1], 0, 1, 0));
        assertFails(ENOTCONN.code(), rrecv(fd, new byte[1], 0, 1, 0));
        final int[] p = pair(AF_INET);
        assertFails(EFAULT.code(), rsend(p[0], new byte[4], 2, 3, 0));
        assertFails(EFAULT.code(), rsend(p[0], MemorySegment.ofArray(new byte[4]), 5, 0));
        assertFails(EFAULT.code(), rrecv(p[0], (byte[])null, 0, 1, 0));
        assertFails(EINVAL.code(), rwritev(p[0], new MemorySegment[1], 2));
        assertFails(EFAULT.code(), rwritev(p[0], new MemorySegment[1], 1));
        assertFails(ENOTSUP.code(), rsendmsg(p[0], new MsgHdr(bytes((byte)1)).control(bytes((byte)0)), 0));
        assertFails(ENOTSUP.code(), rrecvmsg(p[0], new MsgHdr(MemorySegment.ofArray(new byte[1]))
            .control(bytes((byte)0)), 0));
    }

    @Test
    public void shouldGatherAndScatterWithChecksums() throws Exception
    {
        final int[] p = pair(AF_INET);
        final byte[] data = random(300_001, 7);
        try (Arena arena = Arena.ofShared())
        {
            // Uneven pieces, one empty, one native: rwritev sends them as one stream.
            final MemorySegment[] out = {
                MemorySegment.ofArray(java.util.Arrays.copyOfRange(data, 0, 1)),
                MemorySegment.ofArray(new byte[0]),
                arena.allocate(70_000).copyFrom(MemorySegment.ofArray(data).asSlice(1, 70_000)),
                MemorySegment.ofArray(java.util.Arrays.copyOfRange(data, 70_001, data.length)),
            };
            final Future<Long> writer = async(() -> rwritev(p[0], out, out.length));
            final MemorySegment[] in = {arena.allocate(3), arena.allocate(100_000), arena.allocate(200_000)};
            long got = 0;
            final CRC32C crc = new CRC32C();
            while (got < data.length)
            {
                final long n = rreadv(p[1], in, in.length);
                assertTrue(n > 0, () -> "rreadv: " + strerror(errno()));
                long left = n;
                for (final MemorySegment s : in)
                {
                    final long take = Math.min(left, s.byteSize());
                    crc.update(s.asSlice(0, take).asByteBuffer());
                    left -= take;
                }
                got += n;
            }
            assertEquals(data.length, got);
            assertEquals(data.length, writer.get(30, TimeUnit.SECONDS));
            assertEquals(crc(data), crc.getValue());
        }
    }

    @Test
    public void shouldSendAndReceiveMessagesWithChecksums() throws Exception
    {
        final int[] p = pair(AF_INET);
        final byte[] data = random(150_000, 9);
        final MsgHdr out = MsgHdr.of(ByteBuffer.wrap(data, 0, 50_000), ByteBuffer.wrap(data, 50_000, 100_000));
        final Future<Long> writer = async(() -> rsendmsg(p[0], out, 0));
        final byte[] a = new byte[40_000];
        final byte[] b = new byte[110_000];
        final MsgHdr in = new MsgHdr(MemorySegment.ofArray(a), MemorySegment.ofArray(b)).flags(99);
        final byte[] got = new byte[data.length];
        int done = 0;
        while (done < data.length)
        {
            final long n = rrecvmsg(p[1], in, 0);
            assertTrue(n > 0, () -> "rrecvmsg: " + strerror(errno()));
            assertEquals(0, in.flags());
            System.arraycopy(a, 0, got, done, (int)Math.min(n, a.length));
            if (n > a.length)
            {
                System.arraycopy(b, 0, got, done + a.length, (int)n - a.length);
            }
            done += (int)n;
        }
        assertEquals(data.length, writer.get(30, TimeUnit.SECONDS));
        assertEquals(crc(data), crc(got));

        // Peeking fills every segment without consuming; ByteBuffer vectors move their positions.
        sendAll(p[0], new byte[] {1, 2, 3, 4, 5});
        final MemorySegment[] two = {MemorySegment.ofArray(new byte[2]), MemorySegment.ofArray(new byte[3])};
        long n;
        do
        {
            n = rrecvmsg(p[1], new MsgHdr(two), MSG_PEEK);
        }
        while (n > 0 && n < 5);
        assertEquals(5, n);
        assertArrayEquals(new byte[] {3, 4, 5}, two[1].toArray(ValueLayout.JAVA_BYTE));
        final ByteBuffer[] bufs = {ByteBuffer.allocate(4), ByteBuffer.allocateDirect(4)};
        assertEquals(5, rreadv(p[1], bufs, 2));
        assertEquals(4, bufs[0].position());
        assertEquals(1, bufs[1].position());
        assertEquals(5, bufs[1].get(0));
        final ByteBuffer[] outBufs = {ByteBuffer.wrap(new byte[] {7, 8}), ByteBuffer.allocateDirect(2).put(0, (byte)9)};
        assertEquals(4, rwritev(p[0], outBufs, 2));
        assertFalse(outBufs[0].hasRemaining());
        assertArrayEquals(new byte[] {7, 8, 9, 0}, recvAll(p[1], 4));
    }

    @Test
    public void shouldSeeTheEndOfTheStreamAndTheResetAfterThePeerLeaves() throws Exception
    {
        final int[] p = pair(AF_INET);
        sendAll(p[0], new byte[] {1});
        assertEquals(0, rclose(p[0]));
        assertArrayEquals(new byte[] {1}, recvAll(p[1], 1), "data sent before the close is still read");
        assertEquals(0, rrecv(p[1], new byte[1], 0, 1, 0));
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int r;
        while ((r = rsend(p[1], new byte[1], 0, 1, 0)) > 0)
        {
            assertTrue(System.nanoTime() < deadline, "sends keep succeeding to a closed peer");
            Thread.sleep(10);
        }
        assertEquals(-1, r);
        assertTrue(ECONNRESET.code() == errno() || EPIPE.code() == errno(), strerror(errno()));
    }
}
