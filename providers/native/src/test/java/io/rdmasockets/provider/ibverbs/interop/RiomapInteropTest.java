package io.rdmasockets.provider.ibverbs.interop;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.rsocket.ErrnoCarrier;
import io.rdmasockets.rsocket.RdmaIomap;
import io.rdmasockets.rsocket.RdmaServerSocket;
import io.rdmasockets.rsocket.RdmaSocket;
import io.rdmasockets.rsocket.RdmaSocketOptions;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.VerbsProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Direct data placement between Java and C librdmacm (wire-protocol doc section 3): the C test peer
 * {@code riomap_peer} (src/test/c) maps buffers for a Java riowrite and checks them byte by byte, and
 * riowrites into a Java mapping that this test checks. Also what each side does at the edges: Java's
 * riowrite outside the C mappings fails with {@code EFAULT} and writes nothing; C's riowrite past a Java
 * mapping returns a short count; Java's riounmap reaches C (its lookup stops matching); C's riounmap does
 * not reach Java, whose next riowrite meets the deregistered key and cannot change the C buffer. Mapped data
 * is rstream's pattern from each mapping's start ({@link BytePattern#bytes}), guard bytes around the
 * mappings catch writes outside them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RiomapInteropTest extends AbstractVerbsTest
{
    private static final Duration PEER_TIMEOUT = Duration.ofSeconds(120);
    private static final int GUARD = 4096;
    private static final byte GUARD_BYTE = (byte)0xA5;
    private static final int EFAULT = Errno.EFAULT.code();

    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }

    @Test
    void shouldRiowriteIntoCMappingsByteExactAndFailOutsideThem() throws Exception
    {
        final int size = 262_147;
        final long offset = 1L << 40;
        try (RdmaServerSocket listener = listen(2);
             CPeer peer = CPeer.startRiomap("receive", host(), port(listener), Integer.toString(size),
                 Long.toString(offset));
             RdmaSocket socket = accept(listener))
        {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            // C's rsend of the two (offset, size) pairs also published its mappings (it arrived after them).
            final long offsetA = in.readLong();
            assertEquals(size, in.readLong());
            final long offsetB = in.readLong();
            assertEquals(size, in.readLong());
            assertEquals(offset, offsetA, "riomap at a given offset");
            peer.awaitLine("MAPPED", PEER_TIMEOUT);

            final byte[] data = BytePattern.bytes(size);
            final RdmaIomap io = socket.iomap();
            // A in three pieces that are not multiples of the 2 KiB..64 KiB chunks; B (C's address) at once.
            io.write(data, 0, 1000, offsetA);
            io.write(data, 1000, size - 1001, offsetA + 1000);
            io.write(data, size - 1, 1, offsetA + size - 1);
            assertEquals(size, io.write(ByteBuffer.wrap(data), offsetB));
            // Outside the mappings: EFAULT and nothing written (C checks A's bytes and guards next).
            assertErrno(EFAULT, () -> io.write(data, 0, 1, offsetA + size), "one byte past the end of A");
            assertErrno(EFAULT, () -> io.write(data, 0, 16, offsetA + size - 8), "16 bytes across the end of A");
            assertErrno(EFAULT, () -> io.write(data, 0, 1, offsetA - 1), "one byte before A");
            // RC ordering: 'W' arrives after every byte written before it.
            socket.getOutputStream().write('W');
            System.out.println("riomap_peer: " + peer.awaitLine("CHECKED", PEER_TIMEOUT));

            peer.awaitLine("UNMAPPED", PEER_TIMEOUT);
            assertEquals('U', in.read());
            // C's riounmap told us nothing: our entry for A is stale; its key is gone at C, A must not change.
            String stale;
            try
            {
                io.write(data, 0, 64, offsetA);
                socket.getOutputStream().write('X');
                stale = "riowrite and the send after it returned";
            }
            catch (final IOException e)
            {
                stale = e.toString();
            }
            // C checks that A did not change, then reports how the connection fared.
            System.out.printf("riowrite into a mapping C unmapped: %s; riomap_peer: %s%n", stale,
                peer.awaitLine("STALE", PEER_TIMEOUT));
            peer.assertSucceeds(PEER_TIMEOUT);
            // Not asserted (rxe's doing, see the README): how this side ends once the C process is gone.
            socket.setSoTimeout(10_000);
            String end;
            try
            {
                end = "read returned " + in.read();
            }
            catch (final IOException e)
            {
                end = e.toString();
            }
            System.out.println("Java read after the stale riowrite and the C peer's exit: " + end);
        }
    }

    @Test
    void shouldCheckWhatCRiowroteIntoAJavaMappingThenUnmapIt() throws Exception
    {
        final int size = 300_001;
        final long offset = 3L << 30;
        // The arena outlives the socket: closed last, after every mapping of it is gone.
        try (Arena arena = Arena.ofShared();
             RdmaServerSocket listener = listen(0);
             CPeer peer = CPeer.startRiomap("write", host(), port(listener));
             RdmaSocket socket = accept(listener))
        {
            final DataInputStream in = new DataInputStream(socket.getInputStream());
            final DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            final MemorySegment whole = guarded(arena, size);
            final MemorySegment target = whole.asSlice(GUARD, size);
            final RdmaIomap.Mapping mapping = socket.iomap().map(target, offset);
            assertEquals(offset, mapping.offset());
            // This send publishes the mapping (RS_OP_IOMAP_SGL before the data).
            out.writeLong(offset);
            out.writeLong(size);
            out.flush();

            assertEquals('W', in.read(), "C's 'written'");
            assertEquals(-1, target.mismatch(MemorySegment.ofArray(BytePattern.bytes(size))),
                "C's riowrite into the mapping, byte-exact");
            assertGuards(whole, size);
            // C's riowrite wholly past the end: no mapping matches, a short count of 0 and no error.
            assertEquals("PAST 0 errno 0", peer.awaitLine("PAST", PEER_TIMEOUT));

            mapping.close();
            target.fill((byte)0);
            // Our riounmap published an empty entry before this byte: C's lookup no longer matches the offset.
            out.write('U');
            out.flush();
            assertEquals('D', in.read(), "C's 'done'");
            assertEquals("AFTER-UNMAP 0 errno 0", peer.awaitLine("AFTER-UNMAP", PEER_TIMEOUT));
            assertEquals(-1, target.mismatch(MemorySegment.ofArray(new byte[size])), "nothing written after unmap");

            // Across the end of a second mapping: 8 of C's 16 bytes fit; does C's riowrite return?
            final int small = 4096;
            final long offset2 = 5L << 30;
            final MemorySegment whole2 = guarded(arena, small);
            final MemorySegment target2 = whole2.asSlice(GUARD, small);
            try (RdmaIomap.Mapping second = socket.iomap().map(target2, offset2))
            {
                assertEquals(offset2, second.offset());
                out.writeLong(offset2);
                out.writeLong(small);
                out.flush();
                final String straddle = peer.awaitLine("STRADDLE", PEER_TIMEOUT);
                System.out.println("riomap_peer: " + straddle);
                if (straddle.startsWith("STRADDLE "))
                {
                    assertEquals("STRADDLE 8 errno 0", straddle, "C's short count across the end");
                    assertEquals('S', in.read(), "C's byte after the straddling write");
                    assertEquals(-1, target2.asSlice(small - 8).mismatch(
                        MemorySegment.ofArray(BytePattern.bytes(small)).asSlice(small - 8)), "the 8 bytes that fit");
                }
                peer.assertSucceeds(PEER_TIMEOUT);
                assertEquals(-1, target2.asSlice(0, small - 8).mismatch(MemorySegment.ofArray(new byte[small - 8])),
                    "nothing before the straddling write");
                assertGuards(whole2, small);
            }
        }
    }

    private static MemorySegment guarded(final Arena arena, final int size)
    {
        final MemorySegment whole = arena.allocate(size + 2L * GUARD, 64);
        whole.fill(GUARD_BYTE);
        whole.asSlice(GUARD, size).fill((byte)0);
        return whole;
    }

    private static void assertGuards(final MemorySegment whole, final int size)
    {
        final MemorySegment guard = MemorySegment.ofArray(new byte[GUARD]);
        guard.fill(GUARD_BYTE);
        assertEquals(-1, whole.asSlice(0, GUARD).mismatch(guard), "guard bytes before the mapping");
        assertEquals(-1, whole.asSlice(GUARD + (long)size, GUARD).mismatch(guard), "guard bytes after the mapping");
    }

    private interface IoCall
    {
        void run() throws IOException;
    }

    private static void assertErrno(final int errno, final IoCall call, final String what)
    {
        final IOException e = assertThrows(IOException.class, call::run, what);
        assertInstanceOf(ErrnoCarrier.class, e, what);
        assertEquals(errno, ((ErrnoCarrier)e).errno(), () -> what + ": " + e);
    }

    private RdmaServerSocket listen(final int iomapSize) throws IOException
    {
        final RdmaServerSocket listener = new RdmaServerSocket(provider());
        if (iomapSize > 0)
        {
            // How many mappings C may publish to the sockets this listener accepts.
            listener.setOption(RdmaSocketOptions.RDMA_IOMAPSIZE, iomapSize);
        }
        listener.bind(new InetSocketAddress(testAddress(), 0));
        listener.setSoTimeout((int)PEER_TIMEOUT.toMillis());
        return listener;
    }

    private static RdmaSocket accept(final RdmaServerSocket listener) throws IOException
    {
        final RdmaSocket socket = listener.accept();
        socket.setSoTimeout((int)PEER_TIMEOUT.toMillis());
        return socket;
    }

    private static String host()
    {
        return testAddress().getHostAddress();
    }

    private static String port(final RdmaServerSocket listener)
    {
        return Integer.toString(((InetSocketAddress)listener.getLocalSocketAddress()).getPort());
    }
}
