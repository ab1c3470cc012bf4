package io.rdmasockets.verbs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import static io.rdmasockets.verbs.WorkCompletionDescriptor.*;

/**
 * A reusable array of work completions over native memory laid out as {@code struct ibv_wc[capacity]}
 * ({@link WorkCompletionDescriptor}). {@link CompletionQueue#poll(WorkCompletions)} fills entries
 * {@code 0 .. count-1}; the accessors read entry {@code i}. Nothing here allocates.
 *
 * <p>The accessors read an entry from a heap copy taken with one bulk copy when an accessor first asks
 * for it: the engine reads four or five fields of each completion, and one copy plus shifts costs half of
 * as many segment reads (53 against 106 ns for six fields on the build host under C1) and runs far less
 * code, which counts under emulation (providers/native/README.md). The copy is dropped whenever the
 * memory may change: {@link #segment()} (a provider polls into it) and {@link #set}.
 *
 * <p><b>Note:</b> not thread safe; use one instance per polling thread.
 */
public final class WorkCompletions
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int WORDS = LENGTH / Long.BYTES;

    private final MemorySegment segment;
    private final int capacity;
    /** Entry {@link #loaded} as native-order words, or nothing when {@code loaded} is -1. */
    private final long[] entry = new long[WORDS];
    private int loaded = -1;

    /**
     * Allocates the array in the given arena.
     *
     * @param capacity the most completions one poll returns.
     * @param arena    owns the memory.
     */
    public WorkCompletions(final int capacity, final Arena arena)
    {
        if (capacity <= 0)
        {
            throw new IllegalArgumentException("capacity=" + capacity);
        }
        this.capacity = capacity;
        this.segment = arena.allocate((long)LENGTH * capacity, 8);
    }

    /** @return how many completions the array holds. */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return the native memory, {@code capacity * 48} bytes; providers poll into it, and ask for it again
     *         before each poll (asking drops the accessors' copy of an entry).
     */
    public MemorySegment segment()
    {
        loaded = -1;
        return segment;
    }

    /** @param i entry index. @return {@code wr_id}. */
    public long wrId(final int i)
    {
        return load(i)[WR_ID_OFFSET / Long.BYTES];
    }

    /** @param i entry index. @return the {@link WcStatus} code. */
    public int statusCode(final int i)
    {
        return intAt(load(i), STATUS_OFFSET);
    }

    /** @param i entry index. @return the status. */
    public WcStatus status(final int i)
    {
        return WcStatus.of(statusCode(i));
    }

    /** @param i entry index. @return the {@link WcOpcode} code. */
    public int opcodeCode(final int i)
    {
        return intAt(load(i), OPCODE_OFFSET);
    }

    /** @param i entry index. @return the opcode (undefined for error completions, as in verbs). */
    public WcOpcode opcode(final int i)
    {
        return WcOpcode.of(opcodeCode(i));
    }

    /** @param i entry index. @return {@code vendor_err}. */
    public int vendorError(final int i)
    {
        return intAt(load(i), VENDOR_ERR_OFFSET);
    }

    /** @param i entry index. @return bytes received (receives) or read (RDMA reads). */
    public int byteLength(final int i)
    {
        return intAt(load(i), BYTE_LEN_OFFSET);
    }

    /** @param i entry index. @return the immediate as the sender's logical value (converted from big-endian). */
    public int immData(final int i)
    {
        final int raw = intAt(load(i), IMM_DATA_OFFSET);
        return LITTLE_ENDIAN ? Integer.reverseBytes(raw) : raw;
    }

    /** @param i entry index. @return the local queue pair number. */
    public int qpNumber(final int i)
    {
        return intAt(load(i), QP_NUM_OFFSET);
    }

    /** @param i entry index. @return the source queue pair (UD receives). */
    public int sourceQpNumber(final int i)
    {
        return intAt(load(i), SRC_QP_OFFSET);
    }

    /** @param i entry index. @return {@code wc_flags}, an OR of {@code WC_FLAG_*}. */
    public int flags(final int i)
    {
        return intAt(load(i), WC_FLAGS_OFFSET);
    }

    /** @param i entry index. @return true when {@link #immData(int)} is valid. */
    public boolean hasImmediate(final int i)
    {
        return 0 != (flags(i) & WC_FLAG_WITH_IMM);
    }

    /**
     * Writes entry {@code i}: for software providers. Zeroes the fields not given.
     *
     * @param i          entry index.
     * @param wrId       the work request's id.
     * @param status     a {@link WcStatus} code.
     * @param opcode     a {@link WcOpcode} code.
     * @param byteLength bytes transferred.
     * @param immData    the immediate's logical value (stored big-endian), when {@code withImm}.
     * @param withImm    whether an immediate arrived.
     * @param qpNumber   the local queue pair number.
     */
    public void set(
        final int i,
        final long wrId,
        final int status,
        final int opcode,
        final int byteLength,
        final int immData,
        final boolean withImm,
        final int qpNumber)
    {
        final long base = offset(i);
        loaded = -1;
        segment.set(LONG, base + WR_ID_OFFSET, wrId);
        segment.set(INT, base + STATUS_OFFSET, status);
        segment.set(INT, base + OPCODE_OFFSET, opcode);
        segment.set(INT, base + VENDOR_ERR_OFFSET, 0);
        segment.set(INT, base + BYTE_LEN_OFFSET, byteLength);
        segment.set(BE_INT, base + IMM_DATA_OFFSET, withImm ? immData : 0);
        segment.set(INT, base + QP_NUM_OFFSET, qpNumber);
        segment.set(INT, base + SRC_QP_OFFSET, 0);
        segment.set(INT, base + WC_FLAGS_OFFSET, withImm ? WC_FLAG_WITH_IMM : 0);
        segment.set(LONG, base + PKEY_INDEX_OFFSET, 0L);
    }

    /** @return entry {@code i} as native-order words, copied from native memory unless it is already. */
    private long[] load(final int i)
    {
        if (i != loaded)
        {
            MemorySegment.copy(segment, LONG, offset(i), entry, 0, WORDS);
            loaded = i;
        }
        return entry;
    }

    /** @return the 32-bit field at byte {@code offset} (a multiple of 4) of a loaded entry, native order. */
    private static int intAt(final long[] words, final int offset)
    {
        final long word = words[offset >>> 3];
        // The lower-addressed half of a word is its low half on little-endian machines.
        return (0 == (offset & 4)) == LITTLE_ENDIAN ? (int)word : (int)(word >>> 32);
    }

    private long offset(final int i)
    {
        if (i < 0 || i >= capacity)
        {
            throw new IndexOutOfBoundsException("completion " + i + " of " + capacity);
        }
        return (long)i * LENGTH;
    }
}
