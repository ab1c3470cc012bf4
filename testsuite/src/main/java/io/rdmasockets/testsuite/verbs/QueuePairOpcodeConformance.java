package io.rdmasockets.testsuite.verbs;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.common.Errno;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QueuePairCapabilities;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.rdmasockets.testsuite.Tests.assertAllBytes;
import static io.rdmasockets.testsuite.Tests.assertPattern;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every opcode, with and without immediate: byte-exact payloads, untouched neighbouring bytes, and the
 * fields of both sides' work completions. Also inline sends, gather/scatter, zero-SGE receives and
 * selective signaling.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class QueuePairOpcodeConformance extends AbstractVerbsTest
{
    /** High bit set and distinct bytes, so sign and byte order mistakes show. */
    static final int IMM = 0x80A1B2C3;
    static final int RW = Access.LOCAL_WRITE | Access.REMOTE_WRITE | Access.REMOTE_READ;
    static final Duration QUIET = Duration.ofMillis(300);

    private static void assertWc(
        final Wc wc, final long wrId, final WcOpcode opcode, final RcEndpoint side)
    {
        assertEquals(WcStatus.SUCCESS, wc.status(), () -> side.name + ": " + wc);
        assertEquals(wrId, wc.wrId(), () -> side.name + " wr_id: " + wc);
        assertEquals(opcode, wc.opcode(), () -> side.name + " opcode: " + wc);
        assertEquals(side.qp.qpNumber(), wc.qpNumber(), () -> side.name + " qp_num: " + wc);
    }

    private static void assertRecv(
        final Wc wc, final long wrId, final WcOpcode opcode, final int byteLength, final Integer imm,
        final RcEndpoint side)
    {
        assertWc(wc, wrId, opcode, side);
        assertEquals(byteLength, wc.byteLength(), () -> "byte_len: " + wc);
        assertEquals(null != imm, wc.hasImmediate(), () -> "IBV_WC_WITH_IMM: " + wc);
        if (null != imm)
        {
            assertEquals(imm.intValue(), wc.immData(), () -> "imm_data: " + wc);
        }
    }

    @Test
    public void shouldGrantAtLeastRequestedCapabilities() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().queueDepth(100, 50).sge(3, 2).maxInlineData(40));
        for (final RcEndpoint side : List.of(pair.client, pair.server))
        {
            final QueuePairCapabilities cap = side.qp.capabilities();
            assertTrue(cap.maxSendWr() >= 100 && cap.maxRecvWr() >= 50, () -> side.name + ": " + cap);
            assertTrue(cap.maxSendSge() >= 3 && cap.maxRecvSge() >= 2, () -> side.name + ": " + cap);
            assertTrue(cap.maxInlineData() >= 40, () -> side.name + ": " + cap);
            assertTrue(side.qp.qpNumber() >= 0 && side.qp.qpNumber() < 1 << 24, "qp_num is 24 bits");
            assertEquals(QpState.RTS, side.qp.state(), side.name + " is RTS once established");
        }
    }

    @Test
    public void shouldDeliverSendIntoPostedReceive() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 1);
        final MemoryRegion dst = pair.server.register(4096, Access.LOCAL_WRITE);
        pair.server.postReceive(77, dst, 0, 4096);
        pair.client.post(11, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 1000, 0, 0, 0);

        assertWc(pair.client.awaitSendCompletion(), 11, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 77, WcOpcode.RECV, 1000, null, pair.server);
        assertPattern(dst.segment().asSlice(0, 1000), 1, "received payload");
        assertAllBytes(dst.segment().asSlice(1000), (byte)0, "receive buffer beyond the payload");
    }

    @Test
    public void shouldDeliverSendWithImmediate() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(256, Access.LOCAL_WRITE, 2);
        final MemoryRegion dst = pair.server.register(256, Access.LOCAL_WRITE);
        pair.server.postReceive(5, dst, 0, 256);
        pair.client.post(6, WrOpcode.SEND_WITH_IMM, SendFlags.SIGNALED, src, 0, 200, 0, 0, IMM);

        assertWc(pair.client.awaitSendCompletion(), 6, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 5, WcOpcode.RECV, 200, IMM, pair.server);
        assertPattern(dst.segment().asSlice(0, 200), 2, "received payload");
    }

    @Test
    public void shouldWriteRemoteMemoryWithoutConsumingReceive() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(8192, Access.LOCAL_WRITE, 3);
        final MemoryRegion dst = pair.server.registerFilled(8192, RW, 99);
        final MemoryRegion recv = pair.server.register(64, Access.LOCAL_WRITE);
        pair.server.postReceive(1, recv, 0, 64);
        pair.client.post(21, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 10, 3000, dst.address() + 100,
            dst.rkey(), 0);

        assertWc(pair.client.awaitSendCompletion(), 21, WcOpcode.RDMA_WRITE, pair.client);
        assertPattern(dst.segment().asSlice(100, 3000), 3, 10, "written range");
        assertPattern(dst.segment().asSlice(0, 100), 99, 0, "bytes before the written range");
        assertPattern(dst.segment().asSlice(3100), 99, 3100, "bytes after the written range");
        assertEquals(List.of(), pair.server.recvCompletionsWithin(QUIET), "a plain RDMA_WRITE consumes no receive");
    }

    @Test
    public void shouldWriteWithImmediateAndConsumeReceive() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 4);
        final MemoryRegion dst = pair.server.register(4096, RW);
        final MemoryRegion recv = pair.server.register(64, Access.LOCAL_WRITE);
        pair.server.postReceive(31, recv, 0, 64);
        pair.client.post(32, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, 2048, dst.address() + 1024,
            dst.rkey(), IMM);

        assertWc(pair.client.awaitSendCompletion(), 32, WcOpcode.RDMA_WRITE, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 31, WcOpcode.RECV_RDMA_WITH_IMM, 2048, IMM, pair.server);
        assertPattern(dst.segment().asSlice(1024, 2048), 4, "written range");
        assertAllBytes(recv.segment(), (byte)0, "the receive buffer of a WRITE_WITH_IMM");
    }

    @Test
    public void shouldReadRemoteMemory() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion remote = pair.server.registerFilled(16384, Access.LOCAL_WRITE | Access.REMOTE_READ, 5);
        final MemoryRegion local = pair.client.registerFilled(8192, Access.LOCAL_WRITE, 98);
        pair.client.post(41, WrOpcode.RDMA_READ, SendFlags.SIGNALED, local, 3, 5000, remote.address() + 7,
            remote.rkey(), 0);

        final Wc wc = pair.client.awaitSendCompletion();
        assertWc(wc, 41, WcOpcode.RDMA_READ, pair.client);
        assertEquals(5000, wc.byteLength(), () -> "byte_len of an RDMA_READ: " + wc);
        assertPattern(local.segment().asSlice(3, 5000), 5, 7, "read bytes");
        assertPattern(local.segment().asSlice(0, 3), 98, "bytes before the read range");
        assertPattern(local.segment().asSlice(5003), 98, 5003, "bytes after the read range");
        assertPattern(remote.segment(), 5, "the remote region after being read");
    }

    @Test
    public void shouldCopyInlineSendAtPostTime() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion dst = pair.server.register(256, Access.LOCAL_WRITE);
        pair.server.postReceive(1, dst, 0, 256);
        // The payload is copied at post time: the buffer may change right after postSend returns.
        final MemoryRegion src = pair.client.register(48, Access.LOCAL_WRITE);
        final MemorySegment buffer = src.segment();
        Tests.fill(buffer, 6);
        final SendWorkRequest wr = pair.client.sendWr().wrId(2).opcode(WrOpcode.SEND)
            .flags(SendFlags.SIGNALED | SendFlags.INLINE);
        wr.sgl().add(src, 0, 48);
        pair.client.post(wr);
        buffer.fill((byte)0x5A);

        assertWc(pair.client.awaitSendCompletion(), 2, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 1, WcOpcode.RECV, 48, null, pair.server);
        assertPattern(dst.segment().asSlice(0, 48), 6, "inline payload as it was at post time");
    }

    @Test
    public void shouldCopyInlineWriteWithImmediateAtPostTime() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion dst = pair.server.register(256, RW);
        pair.server.postEmptyReceive(8);
        final MemoryRegion src = pair.client.register(60, Access.LOCAL_WRITE);
        final MemorySegment buffer = src.segment();
        Tests.fill(buffer, 7);
        final SendWorkRequest wr = pair.client.sendWr().wrId(3).opcode(WrOpcode.RDMA_WRITE_WITH_IMM)
            .flags(SendFlags.SIGNALED | SendFlags.INLINE).immData(IMM).remote(dst.address() + 16, dst.rkey());
        wr.sgl().add(src, 0, 60);
        pair.client.post(wr);
        buffer.fill((byte)0);

        assertWc(pair.client.awaitSendCompletion(), 3, WcOpcode.RDMA_WRITE, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 8, WcOpcode.RECV_RDMA_WITH_IMM, 60, IMM, pair.server);
        assertPattern(dst.segment().asSlice(16, 60), 7, "inline write payload");
    }

    @Test
    public void shouldRejectInlineSendLargerThanMaxInlineData() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().maxInlineData(64));
        final int max = pair.client.qp.capabilities().maxInlineData();
        final MemorySegment buffer = pair.client.arena.allocate(max + 1);
        final SendWorkRequest wr = pair.client.sendWr().wrId(1).opcode(WrOpcode.SEND)
            .flags(SendFlags.SIGNALED | SendFlags.INLINE);
        wr.sgl().add(buffer.address(), max + 1, 0);
        Tests.assertErrno(Errno.EINVAL, pair.client.qp.postSend(wr), "inline send of maxInlineData + 1 bytes");
        assertEquals(List.of(), pair.client.sendCompletionsWithin(QUIET), "a refused post completes nothing");
    }

    @Test
    public void shouldRejectMoreSgesThanGranted() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().sge(2, 1));
        final MemoryRegion mr = pair.client.register(4096, Access.LOCAL_WRITE);
        final int maxSend = pair.client.qp.capabilities().maxSendSge();
        final SendWorkRequest wr = new SendWorkRequest(maxSend + 1).wrId(1).opcode(WrOpcode.SEND)
            .flags(SendFlags.SIGNALED);
        for (int i = 0; i <= maxSend; i++)
        {
            wr.sgl().add(mr, i, 1);
        }
        Tests.assertErrno(Errno.EINVAL, pair.client.qp.postSend(wr), "send with maxSendSge + 1 entries");
        final int maxRecv = pair.client.qp.capabilities().maxRecvSge();
        final ReceiveWorkRequest rwr = new ReceiveWorkRequest(maxRecv + 1).wrId(2);
        for (int i = 0; i <= maxRecv; i++)
        {
            rwr.sgl().add(mr, i, 1);
        }
        Tests.assertErrno(Errno.EINVAL, pair.client.qp.postReceive(rwr), "receive with maxRecvSge + 1 entries");
    }

    @Test
    public void shouldGatherSendFromSeveralEntries() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion a = pair.client.registerFilled(1000, Access.LOCAL_WRITE, 8);
        final MemoryRegion b = pair.client.registerFilled(1000, Access.LOCAL_WRITE, 9);
        final MemoryRegion dst = pair.server.register(4096, Access.LOCAL_WRITE);
        pair.server.postReceive(1, dst, 0, 4096);
        final SendWorkRequest wr = pair.client.sendWr().wrId(2).opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED);
        wr.sgl().add(a, 0, 100).add(b, 50, 300).add(a, 500, 7);
        pair.client.post(wr);

        assertWc(pair.client.awaitSendCompletion(), 2, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 1, WcOpcode.RECV, 407, null, pair.server);
        assertPattern(dst.segment().asSlice(0, 100), 8, 0, "first entry");
        assertPattern(dst.segment().asSlice(100, 300), 9, 50, "second entry");
        assertPattern(dst.segment().asSlice(400, 7), 8, 500, "third entry");
    }

    @Test
    public void shouldGatherRdmaWriteFromSeveralEntries() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion a = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 10);
        final MemoryRegion dst = pair.server.register(4096, RW);
        final SendWorkRequest wr = pair.client.sendWr().wrId(2).opcode(WrOpcode.RDMA_WRITE)
            .flags(SendFlags.SIGNALED).remote(dst.address(), dst.rkey());
        wr.sgl().add(a, 2048, 2048).add(a, 0, 2048);
        pair.client.post(wr);

        assertWc(pair.client.awaitSendCompletion(), 2, WcOpcode.RDMA_WRITE, pair.client);
        assertPattern(dst.segment().asSlice(0, 2048), 10, 2048, "second half first (ring wrap)");
        assertPattern(dst.segment().asSlice(2048, 2048), 10, 0, "first half second");
    }

    @Test
    public void shouldScatterReceiveIntoSeveralEntries() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 11);
        final MemoryRegion dst = pair.server.registerFilled(4096, Access.LOCAL_WRITE, 97);
        final ReceiveWorkRequest rwr = pair.server.recvWr().wrId(3);
        rwr.sgl().add(dst, 0, 10).add(dst, 1000, 100).add(dst, 2000, 1000);
        pair.server.postReceive(rwr);
        pair.client.post(4, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 600, 0, 0, 0);

        assertWc(pair.client.awaitSendCompletion(), 4, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 3, WcOpcode.RECV, 600, null, pair.server);
        assertPattern(dst.segment().asSlice(0, 10), 11, 0, "first entry");
        assertPattern(dst.segment().asSlice(1000, 100), 11, 10, "second entry");
        assertPattern(dst.segment().asSlice(2000, 490), 11, 110, "third entry, partly filled");
        assertPattern(dst.segment().asSlice(2490, 510), 97, 2490, "rest of the third entry untouched");
        assertPattern(dst.segment().asSlice(10, 990), 97, 10, "gap between entries untouched");
    }

    @Test
    public void shouldScatterReadIntoSeveralEntries() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion remote = pair.server.registerFilled(4096, Access.LOCAL_WRITE | Access.REMOTE_READ, 12);
        final MemoryRegion local = pair.client.register(4096, Access.LOCAL_WRITE);
        final SendWorkRequest wr = pair.client.sendWr().wrId(5).opcode(WrOpcode.RDMA_READ)
            .flags(SendFlags.SIGNALED).remote(remote.address(), remote.rkey());
        wr.sgl().add(local, 3000, 1000).add(local, 0, 1000);
        pair.client.post(wr);

        final Wc wc = pair.client.awaitSendCompletion();
        assertWc(wc, 5, WcOpcode.RDMA_READ, pair.client);
        assertEquals(2000, wc.byteLength());
        assertPattern(local.segment().asSlice(3000, 1000), 12, 0, "first entry");
        assertPattern(local.segment().asSlice(0, 1000), 12, 1000, "second entry");
    }

    @Test
    public void shouldTakeWriteWithImmediateIntoZeroSgeReceive() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 13);
        final MemoryRegion dst = pair.server.register(4096, RW);
        // rsocket posts receives without entries: the data goes where the write says.
        pair.server.postEmptyReceive(9);
        pair.client.post(1, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, 4096, dst.address(),
            dst.rkey(), 0x1234);

        assertWc(pair.client.awaitSendCompletion(), 1, WcOpcode.RDMA_WRITE, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 9, WcOpcode.RECV_RDMA_WITH_IMM, 4096, 0x1234, pair.server);
        assertPattern(dst.segment(), 13, "written data");
    }

    @Test
    public void shouldAcceptZeroByteWriteWithImmediateWithGarbageRemoteAddressAndKey() throws Exception
    {
        final RcPair pair = connectPair();
        pair.server.postEmptyReceive(10);
        // rsocket sends credit updates this way: nothing is written, so nothing is checked.
        pair.client.post(2, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, null, 0, 0, 0xDEAD_BEEF_0000L,
            0x0BAD_CAFE, IMM);

        assertWc(pair.client.awaitSendCompletion(), 2, WcOpcode.RDMA_WRITE, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 10, WcOpcode.RECV_RDMA_WITH_IMM, 0, IMM, pair.server);
        assertEquals(QpState.RTS, pair.server.qp.state(), "the target stays RTS");
    }

    @Test
    public void shouldDeliverZeroByteSendIntoZeroSgeReceive() throws Exception
    {
        final RcPair pair = connectPair();
        pair.server.postEmptyReceive(11);
        pair.client.post(3, WrOpcode.SEND_WITH_IMM, SendFlags.SIGNALED, null, 0, 0, 0, 0, 42);

        assertWc(pair.client.awaitSendCompletion(), 3, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 11, WcOpcode.RECV, 0, 42, pair.server);
    }

    @Test
    public void shouldProduceNoCompletionForSuccessfulUnsignaledRequests() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 14);
        final MemoryRegion dst = pair.server.register(4096, RW);
        for (int i = 0; i < 10; i++)
        {
            pair.client.post(100 + i, WrOpcode.RDMA_WRITE, 0, src, i * 400L, 400, dst.address() + i * 400L,
                dst.rkey(), 0);
        }
        pair.client.post(200, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 4000, 96, dst.address() + 4000,
            dst.rkey(), 0);

        final Wc wc = pair.client.awaitSendCompletion();
        assertWc(wc, 200, WcOpcode.RDMA_WRITE, pair.client);
        assertEquals(List.of(), pair.client.sendCompletionsWithin(QUIET), "unsignaled requests complete silently");
        // The signaled one completing means the earlier ones did (in order).
        assertPattern(dst.segment(), 14, "all eleven writes");
    }

    @Test
    public void shouldSignalEveryRequestWhenSignalAll() throws Exception
    {
        final RcPair pair = connectPair(PairSpec.defaults().signalAll(true));
        final MemoryRegion src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 15);
        final MemoryRegion dst = pair.server.register(64, RW);
        pair.client.post(1, WrOpcode.RDMA_WRITE, 0, src, 0, 64, dst.address(), dst.rkey(), 0);
        pair.client.post(2, WrOpcode.RDMA_WRITE, 0, src, 0, 64, dst.address(), dst.rkey(), 0);

        final List<Wc> wcs = pair.client.awaitSendCompletions(2);
        assertWc(wcs.get(0), 1, WcOpcode.RDMA_WRITE, pair.client);
        assertWc(wcs.get(1), 2, WcOpcode.RDMA_WRITE, pair.client);
    }

    static Stream<Arguments> opcodesAndEdgeLengths()
    {
        final List<Arguments> cases = new ArrayList<>();
        for (final int opcode : new int[] {WrOpcode.SEND, WrOpcode.SEND_WITH_IMM, WrOpcode.RDMA_WRITE,
            WrOpcode.RDMA_WRITE_WITH_IMM, WrOpcode.RDMA_READ})
        {
            // Around powers of two and typical frame/MTU sizes, where framing code goes wrong.
            for (final int length : new int[] {1, 7, 63, 64, 65, 1023, 1024, 4095, 4096, 4097, 65535, 65536, 65537,
                262_145})
            {
                cases.add(Arguments.of(WrOpcode.toString(opcode), opcode, length));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} of {2} bytes")
    @MethodSource("opcodesAndEdgeLengths")
    public void shouldTransferEdgeLengthsByteExact(final String name, final int opcode, final int length)
        throws Exception
    {
        final RcPair pair = connectPair();
        final int room = length + 128;
        final MemoryRegion local = pair.client.registerFilled(room, RW, 1000 + length);
        final MemoryRegion remote = pair.server.registerFilled(room, RW, 2000 + length);
        final boolean read = WrOpcode.RDMA_READ == opcode;
        final boolean consumesReceive = WrOpcode.RDMA_WRITE != opcode && !read;
        if (consumesReceive)
        {
            pair.server.postReceive(1, remote, 64, length);
        }
        pair.client.post(2, opcode, SendFlags.SIGNALED, local, 32, length, remote.address() + 64, remote.rkey(), IMM);
        final Wc sent = pair.client.awaitSendCompletion();
        assertEquals(WcStatus.SUCCESS, sent.status(), sent::toString);
        if (consumesReceive)
        {
            final Wc received = pair.server.awaitRecvCompletion();
            assertEquals(WcStatus.SUCCESS, received.status(), received::toString);
            assertEquals(length, received.byteLength(), received::toString);
        }
        final MemoryRegion from = read ? remote : local;
        final MemoryRegion to = read ? local : remote;
        final int fromSeed = read ? 2000 + length : 1000 + length;
        final int toSeed = read ? 1000 + length : 2000 + length;
        final long fromOffset = read ? 64 : 32;
        final long toOffset = read ? 32 : 64;
        assertPattern(to.segment().asSlice(toOffset, length), fromSeed, fromOffset, name + " payload");
        assertPattern(to.segment().asSlice(0, toOffset), toSeed, 0, name + " bytes before");
        assertPattern(to.segment().asSlice(toOffset + length), toSeed, toOffset + length, name + " bytes after");
        assertPattern(from.segment(), fromSeed, name + " source unchanged");
    }

    @Test
    public void shouldMoveMegabytePayloadsByteExact() throws Exception
    {
        final RcPair pair = connectPair();
        final int big = 4 << 20;
        final MemoryRegion src = pair.client.registerFilled(big, Access.LOCAL_WRITE, 17);
        final MemoryRegion back = pair.client.register(big, Access.LOCAL_WRITE);
        final MemoryRegion remote = pair.server.register(big, RW);
        pair.client.post(1, WrOpcode.RDMA_WRITE, 0, src, 0, big, remote.address(), remote.rkey(), 0);
        pair.client.post(2, WrOpcode.RDMA_READ, SendFlags.SIGNALED, back, 0, big, remote.address(), remote.rkey(),
            0);
        final Wc read = pair.client.awaitSendCompletion();
        assertWc(read, 2, WcOpcode.RDMA_READ, pair.client);
        assertEquals(big, read.byteLength());
        assertPattern(remote.segment(), 17, "4 MiB written");
        assertPattern(back.segment(), 17, "4 MiB read back");

        final int message = 1 << 20;
        final MemoryRegion dst = pair.server.register(message, Access.LOCAL_WRITE);
        pair.server.postReceive(3, dst, 0, message);
        pair.client.post(4, WrOpcode.SEND, SendFlags.SIGNALED, src, 12345, message, 0, 0, 0);
        assertWc(pair.client.awaitSendCompletion(), 4, WcOpcode.SEND, pair.client);
        assertRecv(pair.server.awaitRecvCompletion(), 3, WcOpcode.RECV, message, null, pair.server);
        assertPattern(dst.segment(), 17, 12345, "1 MiB sent");
    }

    @Test
    public void shouldWriteUpToTheLastByteOfRegion() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion src = pair.client.registerFilled(4096, Access.LOCAL_WRITE, 18);
        final MemoryRegion dst = pair.server.register(4096, RW);
        // Inclusive bounds: [addr, addr + length) is in range, on both sides.
        pair.client.post(1, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 4096 - 100, 100,
            dst.address() + 4096 - 100, dst.rkey(), 0);
        assertWc(pair.client.awaitSendCompletion(), 1, WcOpcode.RDMA_WRITE, pair.client);
        assertPattern(dst.segment().asSlice(4096 - 100), 18, 4096 - 100, "last 100 bytes");
        pair.client.post(2, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 4096, dst.address(), dst.rkey(), 0);
        assertWc(pair.client.awaitSendCompletion(), 2, WcOpcode.RDMA_WRITE, pair.client);
        assertPattern(dst.segment(), 18, "the whole region");
    }

    @Test
    public void shouldCompleteZeroLengthRdmaWriteWithoutEntries() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion dst = pair.server.register(64, RW);
        pair.client.post(1, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, null, 0, 0, dst.address(), dst.rkey(), 0);
        assertWc(pair.client.awaitSendCompletion(), 1, WcOpcode.RDMA_WRITE, pair.client);
        assertAllBytes(dst.segment(), (byte)0, "target of a zero-length write");
        assertEquals(QpState.RTS, pair.client.qp.state());
    }

    @Test
    public void shouldCheckInlinePayloadsLikeAnyOther() throws Exception
    {
        final RcPair pair = connectPair();
        final MemoryRegion dst = pair.server.register(256, Access.LOCAL_WRITE);
        pair.server.postReceive(1, dst, 0, 256);
        // Unlike C verbs the payload must lie in registered memory: Java cannot read any address safely.
        final MemorySegment unregistered = pair.client.arena.allocate(48);
        final SendWorkRequest wr = pair.client.sendWr().wrId(4).opcode(WrOpcode.SEND)
            .flags(SendFlags.SIGNALED | SendFlags.INLINE);
        wr.sgl().add(unregistered.address(), 48, 0);
        pair.client.post(wr);
        final Wc wc = pair.client.awaitSendCompletion();
        assertLocalError(WcStatus.LOC_PROT_ERR, wc);
        assertEquals(4, wc.wrId());
    }

    @Test
    public void shouldRefuseMemoryOfConfinedArena() throws Exception
    {
        final RcPair pair = connectPair();
        // The device reaches registered memory from its own threads; a confined arena's owner could free
        // it under them, so registration refuses it.
        // Closed here, by its owner thread (cleanups may run on another).
        try (Arena confined = Arena.ofConfined())
        {
            final VerbsException e = Tests.assertThrowsErrno(Errno.EINVAL,
                () -> pair.client.pd.registerMemory(confined.allocate(4096, 64), Access.LOCAL_WRITE), "confined memory");
            assertTrue(e.getMessage().contains("confined"), e::getMessage);
        }
    }
}
