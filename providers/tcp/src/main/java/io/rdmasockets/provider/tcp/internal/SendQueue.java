package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.ScatterGatherList;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The send queue's slots as parallel arrays, preallocated at queue pair creation. A slot's index is its
 * request's psn masked: psn {@code p} lives in slot {@code p & mask}. Inline payloads are copied into
 * per-slot native storage at post time.
 *
 * <p><b>Note:</b> {@link #head} and the slots are guarded by the queue pair's lock; {@link #tail} is
 * volatile so the connection's writer reads published slots without that lock (a slot is never
 * rewritten before it completes, and never after ERR).
 */
final class SendQueue
{
    private static final int SUCCESS = WcStatus.SUCCESS.code();

    final int limit;
    final int mask;
    final int maxSge;
    final int maxInline;
    final long[] wrIds;
    final int[] opcodes;
    final int[] flags;
    final int[] immediates;
    final int[] rkeys;
    final int[] lengths;
    final long[] remoteAddresses;
    final boolean[] inline;
    final boolean[] readDone;
    final int[] sgeCounts;
    final TcpMemoryRegion[] sgeRegions;
    final long[] sgeOffsets;
    final int[] sgeLengths;
    final MemorySegment inlineData;
    /** Oldest uncompleted psn. */
    int head;
    /** Highest psn the peer has acknowledged. */
    int ackedPsn = -1;
    /** Next psn to post. */
    volatile int tail;

    SendQueue(final int limit, final int maxSge, final int maxInline)
    {
        this.limit = limit;
        final int capacity = Integer.highestOneBit(Math.max(1, limit - 1)) << 1;
        this.mask = capacity - 1;
        this.maxSge = Math.max(1, maxSge);
        this.maxInline = maxInline;
        wrIds = new long[capacity];
        opcodes = new int[capacity];
        flags = new int[capacity];
        immediates = new int[capacity];
        rkeys = new int[capacity];
        lengths = new int[capacity];
        remoteAddresses = new long[capacity];
        inline = new boolean[capacity];
        readDone = new boolean[capacity];
        sgeCounts = new int[capacity];
        sgeRegions = new TcpMemoryRegion[capacity * this.maxSge];
        sgeOffsets = new long[capacity * this.maxSge];
        sgeLengths = new int[capacity * this.maxSge];
        inlineData = 0 == maxInline ? MemorySegment.NULL :
            MemorySegment.ofBuffer(ByteBuffer.allocateDirect(capacity * maxInline));
    }

    /**
     * Copies a request into its slot at post time: resolves and checks the gather list (lkey of the
     * queue pair's domain, range inside the region, LOCAL_WRITE for a read's scatter list), or copies an
     * inline payload, whose entries are checked the same way (Java cannot read arbitrary addresses
     * safely, so unlike C verbs an inline payload must lie in registered memory too).
     *
     * @param slot   the slot.
     * @param wr     the request.
     * @param isInline whether to copy the payload now.
     * @param total  the payload length.
     * @param pd     the queue pair's domain.
     * @param lkeys  the lkey table.
     * @return SUCCESS, or LOC_PROT_ERR for a failed local check.
     */
    int store(
        final int slot,
        final SendWorkRequest wr,
        final boolean isInline,
        final int total,
        final TcpProtectionDomain pd,
        final KeyTable lkeys)
    {
        final int status = isInline ? copyInline(wr.sgl(), slot, pd, lkeys) :
            resolveGather(wr.sgl(), slot, wr.opcode(), pd, lkeys);
        if (SUCCESS != status)
        {
            return status;
        }
        wrIds[slot] = wr.wrId();
        opcodes[slot] = wr.opcode();
        flags[slot] = wr.flags();
        immediates[slot] = wr.immData();
        rkeys[slot] = wr.rkey();
        remoteAddresses[slot] = wr.remoteAddress();
        lengths[slot] = total;
        inline[slot] = isInline;
        readDone[slot] = false;
        return SUCCESS;
    }

    private int copyInline(final ScatterGatherList sgl, final int slot, final TcpProtectionDomain pd,
        final KeyTable lkeys)
    {
        long at = (long)slot * maxInline;
        for (int i = 0, n = sgl.count(); i < n; i++)
        {
            final int length = sgl.length(i);
            if (0 == length)
            {
                continue;
            }
            final long address = sgl.address(i);
            final TcpMemoryRegion region = lkeys.lookup(sgl.lkey(i));
            final long offset = null == region || !region.permits(pd, 0) ? -1 : region.offsetOf(address, length);
            final MemorySegment memory = offset < 0 ? null : region.memory();
            if (null == memory)
            {
                return WcStatus.LOC_PROT_ERR.code();
            }
            try
            {
                MemorySegment.copy(memory, offset, inlineData, at, length);
            }
            catch (final RuntimeException ex)
            {
                // The arena was closed under the copy: a protection error, never a touch of freed memory.
                return WcStatus.LOC_PROT_ERR.code();
            }
            at += length;
        }
        sgeCounts[slot] = 0;
        return SUCCESS;
    }

    private int resolveGather(
        final ScatterGatherList sgl,
        final int slot,
        final int opcode,
        final TcpProtectionDomain pd,
        final KeyTable lkeys)
    {
        final int needed = WrOpcode.RDMA_READ == opcode ? Access.LOCAL_WRITE : 0;
        final int base = slot * maxSge;
        int n = 0;
        for (int i = 0, count = sgl.count(); i < count; i++)
        {
            final int length = sgl.length(i);
            if (0 == length)
            {
                continue;
            }
            final TcpMemoryRegion region = lkeys.lookup(sgl.lkey(i));
            final long offset = null == region ? -1 : region.offsetOf(sgl.address(i), length & 0xFFFF_FFFFL);
            if (null == region || !region.permits(pd, needed) || offset < 0)
            {
                return WcStatus.LOC_PROT_ERR.code();
            }
            sgeRegions[base + n] = region;
            sgeOffsets[base + n] = offset;
            sgeLengths[base + n] = length;
            n++;
        }
        sgeCounts[slot] = n;
        return SUCCESS;
    }

    boolean isFull()
    {
        return tail - head >= limit;
    }

    boolean isEmpty()
    {
        return tail == head;
    }
}
