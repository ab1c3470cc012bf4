package io.rdmasockets.verbs;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

class WorkCompletionsTest
{
    @Test
    void shouldMatchStructIbvWcLayout()
    {
        // sizeof/offsetof(struct ibv_wc) on x86-64 and aarch64, from libibverbs' verbs.h.
        assertEquals(48, WorkCompletionDescriptor.LAYOUT.byteSize());
        assertEquals(48, WorkCompletionDescriptor.LENGTH);
        assertOffset("wr_id", WorkCompletionDescriptor.WR_ID_OFFSET);
        assertOffset("status", WorkCompletionDescriptor.STATUS_OFFSET);
        assertOffset("opcode", WorkCompletionDescriptor.OPCODE_OFFSET);
        assertOffset("vendor_err", WorkCompletionDescriptor.VENDOR_ERR_OFFSET);
        assertOffset("byte_len", WorkCompletionDescriptor.BYTE_LEN_OFFSET);
        assertOffset("imm_data", WorkCompletionDescriptor.IMM_DATA_OFFSET);
        assertOffset("qp_num", WorkCompletionDescriptor.QP_NUM_OFFSET);
        assertOffset("src_qp", WorkCompletionDescriptor.SRC_QP_OFFSET);
        assertOffset("wc_flags", WorkCompletionDescriptor.WC_FLAGS_OFFSET);
        assertOffset("pkey_index", WorkCompletionDescriptor.PKEY_INDEX_OFFSET);
        assertOffset("slid", WorkCompletionDescriptor.SLID_OFFSET);
        assertOffset("sl", WorkCompletionDescriptor.SL_OFFSET);
        assertOffset("dlid_path_bits", WorkCompletionDescriptor.DLID_PATH_BITS_OFFSET);
    }

    @Test
    void shouldStoreImmediateBigEndianAndReadItBackAsLogicalValue()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final WorkCompletions wc = new WorkCompletions(4, arena);
            wc.set(2, 0xDEADBEEFCAFEL, WcStatus.SUCCESS.code(), WcOpcode.RECV_RDMA_WITH_IMM.code(), 4096,
                0x80000180, true, 0x1234);

            final int rawOffset = 2 * WorkCompletionDescriptor.LENGTH + WorkCompletionDescriptor.IMM_DATA_OFFSET;
            // rsocket's SGL update for rq_size 384 is 0x80000180; on the wire and in ibv_wc it is 80 00 01 80.
            assertEquals((byte)0x80, wc.segment().get(ValueLayout.JAVA_BYTE, rawOffset));
            assertEquals((byte)0x80, wc.segment().get(ValueLayout.JAVA_BYTE, rawOffset + 3));
            assertEquals(0x80000180,
                wc.segment().get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), rawOffset));

            assertEquals(0xDEADBEEFCAFEL, wc.wrId(2));
            assertEquals(WcStatus.SUCCESS, wc.status(2));
            assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, wc.opcode(2));
            assertEquals(4096, wc.byteLength(2));
            assertEquals(0x80000180, wc.immData(2));
            assertTrue(wc.hasImmediate(2));
            assertEquals(0x1234, wc.qpNumber(2));
        }
    }

    @Test
    void shouldClearImmediateWhenAbsentAndRejectOutOfRangeIndex()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final WorkCompletions wc = new WorkCompletions(1, arena);
            wc.set(0, 1, WcStatus.REM_ACCESS_ERR.code(), WcOpcode.RDMA_WRITE.code(), 0, 77, false, 9);
            assertFalse(wc.hasImmediate(0));
            assertEquals(0, wc.immData(0));
            assertEquals(WcStatus.REM_ACCESS_ERR, wc.status(0));
            assertThrows(IndexOutOfBoundsException.class, () -> wc.wrId(1));
            assertThrows(IndexOutOfBoundsException.class, () -> wc.wrId(-1));
        }
    }

    @Test
    void shouldReadEveryFieldAsANativeProviderWroteIt()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final WorkCompletions wc = new WorkCompletions(3, arena);
            // As ibv_poll_cq leaves struct ibv_wc: native-order fields, the immediate in network order.
            final java.lang.foreign.MemorySegment m = wc.segment();
            final long base = WorkCompletionDescriptor.LENGTH;
            m.set(ValueLayout.JAVA_LONG_UNALIGNED, base, 0x0102030405060708L);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.STATUS_OFFSET, 12);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.OPCODE_OFFSET, 129);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.VENDOR_ERR_OFFSET, 0x81);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.BYTE_LEN_OFFSET, 65536);
            m.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN),
                base + WorkCompletionDescriptor.IMM_DATA_OFFSET, 0x20000040);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.QP_NUM_OFFSET, 0x11);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.SRC_QP_OFFSET, 0xFFFFFF);
            m.set(ValueLayout.JAVA_INT_UNALIGNED, base + WorkCompletionDescriptor.WC_FLAGS_OFFSET,
                WorkCompletionDescriptor.WC_FLAG_WITH_IMM);

            assertEquals(0x0102030405060708L, wc.wrId(1));
            assertEquals(WcStatus.RETRY_EXC_ERR, wc.status(1));
            assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, wc.opcode(1));
            assertEquals(0x81, wc.vendorError(1));
            assertEquals(65536, wc.byteLength(1));
            assertEquals(0x20000040, wc.immData(1));
            assertEquals(0x11, wc.qpNumber(1));
            assertEquals(0xFFFFFF, wc.sourceQpNumber(1));
            assertTrue(wc.hasImmediate(1));
        }
    }

    @Test
    void shouldNeverReadAStaleEntry()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final WorkCompletions wc = new WorkCompletions(2, arena);
            wc.set(0, 10, WcStatus.SUCCESS.code(), WcOpcode.SEND.code(), 1, 0, false, 1);
            wc.set(1, 20, WcStatus.SUCCESS.code(), WcOpcode.RECV.code(), 2, 0, false, 1);
            // Alternating entries each read their own.
            assertEquals(10, wc.wrId(0));
            assertEquals(20, wc.wrId(1));
            assertEquals(1, wc.byteLength(0));
            assertEquals(2, wc.byteLength(1));
            // A provider writing an entry that was just read (software providers use set).
            wc.set(1, 21, WcStatus.LOC_LEN_ERR.code(), WcOpcode.RECV.code(), 3, 0, false, 1);
            assertEquals(21, wc.wrId(1));
            assertEquals(WcStatus.LOC_LEN_ERR, wc.status(1));
            // A native provider polls into the memory it asks for, after the entry was read.
            assertEquals(3, wc.byteLength(1));
            wc.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, WorkCompletionDescriptor.LENGTH, 22L);
            assertEquals(22, wc.wrId(1));
        }
    }

    @Test
    void shouldMapVerbsNumbers()
    {
        assertEquals(5, WcStatus.WR_FLUSH_ERR.code());
        assertEquals(10, WcStatus.REM_ACCESS_ERR.code());
        assertEquals(12, WcStatus.RETRY_EXC_ERR.code());
        assertEquals(WcStatus.GENERAL_ERR, WcStatus.of(999));
        assertEquals(129, WcOpcode.RECV_RDMA_WITH_IMM.code());
        assertEquals(WcOpcode.UNKNOWN, WcOpcode.of(77));
        assertEquals(6, QpState.ERR.code());
        assertEquals(4, QpType.UD.code());
    }

    private static void assertOffset(final String field, final long expected)
    {
        assertEquals(expected, WorkCompletionDescriptor.LAYOUT.byteOffset(
            java.lang.foreign.MemoryLayout.PathElement.groupElement(field)), field);
    }
}
