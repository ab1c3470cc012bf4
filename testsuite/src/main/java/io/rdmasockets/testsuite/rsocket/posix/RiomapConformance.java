package io.rdmasockets.testsuite.rsocket.posix;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import static io.rdmasockets.common.Errno.*;
import static io.rdmasockets.rsocket.posix.Riomaps.*;
import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
import static io.rdmasockets.rsocket.posix.Rsockets.*;
import static org.junit.jupiter.api.Assertions.*;

/** The facade's {@code riomap}, {@code riounmap}, {@code riowrite}: C's results and errno, riostream's pattern. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class RiomapConformance extends PosixFixture
{
    private final Arena arena = Arena.ofShared();

    @AfterEach
    public void closeArena()
    {
        closeDescriptors();
        arena.close();
    }

    @Test
    public void shouldRunRiostreamsExchangeBothWays() throws Exception
    {
        final int[] fds = mappingPair(1);
        final int size = 100_000;
        final MemorySegment[] bufs = {arena.allocate(size, 64), arena.allocate(size, 64)};
        for (int side = 0; side < 2; side++)
        {
            assertEquals(0, riomap(fds[side], bufs[side], size, PROT_WRITE, 0, 0), () -> "riomap: " + strerror(errno()));
        }
        // rsend publishes the mapping ahead of the sync bytes, as riostream's sync_test relies on.
        sendAll(fds[0], new byte[16]);
        recvAll(fds[1], 16);
        sendAll(fds[1], new byte[16]);
        recvAll(fds[0], 16);
        for (int side = 0; side < 2; side++)
        {
            final byte[] data = random(size, side);
            assertEquals(size, riowrite(fds[side], data, 0, size, 0, 0), () -> "riowrite: " + strerror(errno()));
            sendAll(fds[side], new byte[1]);
            recvAll(fds[1 - side], 1);
            assertArrayEquals(data, bufs[1 - side].toArray(ValueLayout.JAVA_BYTE));
        }
        assertEquals(0, riounmap(fds[0], bufs[0], size));
        assertFails(EINVAL.code(), riounmap(fds[0], bufs[0], size), "unmapped twice");
    }

    @Test
    public void shouldReportCsErrnoValuesAndEfaultWhereCReturnsAShortCount() throws Exception
    {
        final int[] fds = mappingPair(1);
        final MemorySegment buf = arena.allocate(4096, 64);
        assertFails(EBADF.code(), riomap(999_999, buf, 4096, PROT_WRITE, 0, 0));
        assertFails(EINVAL.code(), riomap(fds[1], buf, 4096, 0x4, 0, 0), "PROT_EXEC");
        assertFails(EFAULT.code(), riomap(fds[1], buf, 4097, PROT_WRITE, 0, 0), "len beyond buf");
        assertFails(EINVAL.code(), riomap(fds[1], MemorySegment.ofArray(new byte[16]), 16, PROT_WRITE, 0, 0), "heap");
        assertEquals(64, riomap(fds[1], buf, 4096, PROT_WRITE, 0, 64));
        assertFails(ENOMEM.code(), riomap(fds[1], arena.allocate(64), 64, PROT_WRITE, 0, 0), "RDMA_IOMAPSIZE 1 at the peer");
        sendAll(fds[1], new byte[1]);
        recvAll(fds[0], 1);
        assertFails(EFAULT.code(), riowrite(fds[0], new byte[8], 0, 8, 0, 0), "below the mapping");
        assertFails(EFAULT.code(), riowrite(fds[0], new byte[8], 0, 8, 64 + 4090, 0), "past its end");
        final ByteBuffer src = ByteBuffer.allocateDirect(8).put(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}).flip();
        assertEquals(8, riowrite(fds[0], src, 64 + 4088, 0));
        assertEquals(8, src.position());
        sendAll(fds[0], new byte[1]);
        recvAll(fds[1], 1);
        assertEquals(8, buf.get(ValueLayout.JAVA_BYTE, 4095));
        assertEquals(0, riounmap(fds[1], buf, 4096));
        assertFails(EBADF.code(), riowrite(999_999, new byte[1], 0, 1, 0, 0));
    }

    @Test
    public void shouldMapDirectBuffers() throws Exception
    {
        final int[] fds = mappingPair(1);
        final ByteBuffer target = ByteBuffer.allocateDirect(256);
        assertEquals(0, riomap(fds[1], target, PROT_WRITE, 0, 0));
        sendAll(fds[1], new byte[1]);
        recvAll(fds[0], 1);
        assertEquals(256, riowrite(fds[0], random(256, 9), 0, 256, 0, 0));
        sendAll(fds[0], new byte[1]);
        recvAll(fds[1], 1);
        final byte[] got = new byte[256];
        target.get(0, got);
        assertArrayEquals(random(256, 9), got);
        assertEquals(0, riounmap(fds[1], target));
    }

    /** A pair whose sockets both accept {@code iomapSize} mappings (set on the listener before accepting). */
    private int[] mappingPair(final int iomapSize)
    {
        final int l = listener(AF_INET);
        assertEquals(0, rsetsockopt(l, SOL_RDMA, RDMA_IOMAPSIZE, iomapSize));
        final int client = socket(AF_INET);
        assertEquals(0, rsetsockopt(client, SOL_RDMA, RDMA_IOMAPSIZE, iomapSize));
        assertEquals(0, rconnect(client, addressOf(l)), () -> "rconnect: " + strerror(errno()));
        final int server = raccept(l, null);
        assertTrue(server >= 0, () -> "raccept: " + strerror(errno()));
        track(server);
        return new int[] {client, server};
    }
}
