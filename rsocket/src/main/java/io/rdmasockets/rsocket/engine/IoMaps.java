package io.rdmasockets.rsocket.engine;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.protocol.ImmediateDescriptor;
import io.rdmasockets.rsocket.protocol.IomapDescriptor;
import io.rdmasockets.rsocket.protocol.IomapFlyweight;
import io.rdmasockets.rsocket.protocol.SgeDescriptor;
import io.rdmasockets.rsocket.protocol.SgeFlyweight;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.WrOpcode;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

import static io.rdmasockets.rsocket.engine.CompletionProcessor.TEST_CAN_WRITE;
import static io.rdmasockets.rsocket.engine.RsocketState.*;
import static io.rdmasockets.rsocket.protocol.ImmediateDescriptor.*;

/**
 * Direct data placement on a connected stream rsocket: {@code riomap}, {@code riounmap} and {@code riowrite}
 * (wire-protocol doc section 3), interoperating with C, with these decisions where C has quirks:
 * <ul>
 * <li><b>Credits.</b> C's {@code rs_write_iomap} spends a data credit per iomap update, but no receiver
 *     counts them back (section 2.5): every update shrinks C's window for good. Here an update costs a
 *     send-queue entry and 24 ring bytes, no credit. That is safe against any receiver: an update takes no
 *     slot of the receiver's message ring, which is what credits guard. (A C sender still leaks its own
 *     credits when it publishes to us; we cannot tell its updates apart to give them back.)</li>
 * <li><b>riounmap tells the peer.</b> C sends nothing, so the peer keeps a stale entry and its next
 *     riowrite hits a deregistered key, which breaks the connection. Here riounmap deregisters at once (the
 *     buffer is the caller's again when it returns) and publishes a zeroed entry in the slot: a C peer's
 *     {@code rs_find_iomap} no longer matches it, a Java peer's riowrite fails with {@code EFAULT}. A write the
 *     peer posted before it saw the update still meets the deregistered key: the connection fails, but no
 *     byte reaches the buffer.</li>
 * <li><b>Bounds.</b> A riowrite must lie wholly inside mappings the peer published (adjacent ones may be
 *     crossed); otherwise it fails with {@code EFAULT} before sending anything. C writes up to the first gap
 *     and returns a short count, and its {@code >} re-lookup test may loop at the exact end of a mapping.</li>
 * <li><b>When a mapping is usable.</b> The peer's entry is taken when its {@code RS_OP_IOMAP_SGL} completion is
 *     processed, never read while the peer's device may still be writing it. As C's man page says, a mapping
 *     is usable after data the peer sent after its riomap has arrived; riowrite also polls once before it
 *     gives up on an offset.</li>
 * <li><b>Buffers that go away.</b> A mapping keeps its segment (or buffer) reachable, so automatic arenas and
 *     direct buffers stay alive; a mapping whose segment's arena was closed is dropped (deregistered and
 *     zeroed at the peer) at the socket's next send, riowrite, riomap or riounmap. The tcp provider also refuses, at the target, a write
 *     into a closed arena; with real devices, unmap before closing the arena.</li>
 * <li>Mappings longer than {@code 2^32 - 1} bytes do not fit {@code rs_iomap}'s 32-bit length and are refused
 *     ({@code EINVAL}); C truncates the length.</li>
 * </ul>
 * riowrite is a plain RDMA write (no immediate), copied through the send ring in chunks like rsend; it needs
 * a send-queue entry and ring room but no credit and no target SGE (C waits for both). The receiver is not
 * told; RC ordering makes a later send a notification: its data arrives after the written bytes.
 *
 * <p><b>Note:</b> part of {@link DataPath} and under its locking: the tables are guarded by the state lock;
 * {@link #write} runs under the send lock.
 */
final class IoMaps
{
    /** {@code PROT_NONE}: a mapping for local access only. */
    static final int PROT_NONE = 0;
    /** {@code PROT_WRITE}: a mapping the peer may write into. */
    static final int PROT_WRITE = 2;
    /** The largest mapping {@code rs_iomap}'s 32-bit length describes. */
    static final long MAX_MAPPING = 0xFFFF_FFFFL;

    private static final long TABLE_OFFSET = (long)SgeDescriptor.LENGTH * SgeDescriptor.SGL_SIZE;

    private final DataPath path;
    private final StreamRsocket socket;
    private final Endpoint ep;
    private final SendWindow send;
    private final ReentrantLock stateLock;
    private final IomapFlyweight entry = new IomapFlyweight();
    /** One rs_iomap, built here in the peer's byte order and copied into the send ring. */
    private final MemorySegment scratch;

    // The peer's mappings, as its updates left our table (our target iomap), taken whole on each update.
    private final long[] peerOffset;
    private final long[] peerAddress;
    private final long[] peerLength;
    private final int[] peerKey;

    // Our mappings. Slots are indexes in the peer's table: as many as its target_iomap_size.
    private Mapping[] slots = new Mapping[0];
    private boolean[] dirty = new boolean[0];
    private final List<Mapping> localOnly = new ArrayList<>();
    private long remoteTable;
    private int remoteKey;
    private ByteOrder peerOrder = ByteOrder.LITTLE_ENDIAN;
    /** Some slot's entry is not yet at the peer; read without the lock on the send path's fast check. */
    private volatile boolean pending;
    /** Mappings held, any kind; read without the lock to skip the closed-arena sweep. */
    private volatile int held;

    /** One riomap: the registration, what keeps the memory reachable, and where it was published. */
    private record Mapping(MemorySegment segment, Object owner, MemoryRegion mr, long offset)
    {
    }

    IoMaps(final DataPath path)
    {
        this.path = path;
        this.socket = path.socket;
        this.ep = path.ep;
        this.send = path.send;
        this.stateLock = path.stateLock();
        this.scratch = ep.arena.allocate(IomapDescriptor.LENGTH, 8);
        final int entries = (int)((ep.targetBuffer.byteSize() - TABLE_OFFSET) / IomapDescriptor.LENGTH);
        peerOffset = new long[entries];
        peerAddress = new long[entries];
        peerLength = new long[entries];
        peerKey = new int[entries];
    }

    /**
     * Applies the peer's connection data: where its table is, its size (our slots) and byte order.
     *
     * @param peer the peer's connection data.
     */
    void onConnected(final ConnData.Peer peer)
    {
        stateLock.lock();
        try
        {
            remoteTable = peer.iomapAddress();
            remoteKey = peer.sglKey();
            peerOrder = peer.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            slots = new Mapping[peer.iomapEntries()];
            dirty = new boolean[slots.length];
        }
        finally
        {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------- riomap

    /**
     * {@code riomap}: registers {@code buffer} and, for {@link #PROT_WRITE}, queues its entry for the peer,
     * posted now if room allows, else before the next send or riowrite.
     *
     * @param buffer native memory from a shared, global or automatic arena (or a direct buffer's).
     * @param owner  kept reachable while mapped (the direct buffer), or null.
     * @param prot   {@link #PROT_WRITE} or {@link #PROT_NONE}.
     * @param offset the offset the peer names it by, or -1 for the buffer's address (as C).
     * @return the offset.
     * @throws ErrnoException {@code EINVAL} for another prot, a heap, read-only, empty or too long buffer;
     *                        {@code ENOMEM} when every slot the peer offers is taken (none when its
     *                        RDMA_IOMAPSIZE is 0); {@code EBADF} once closed; or the registration's failure.
     */
    long map(final MemorySegment buffer, final Object owner, final int prot, final long offset) throws ErrnoException
    {
        if (0 != (prot & ~PROT_WRITE))
        {
            throw new ErrnoException(Errno.EINVAL, "riomap prot " + prot + ": PROT_WRITE or PROT_NONE only");
        }
        if (!buffer.isNative() || buffer.isReadOnly() || 0 == buffer.byteSize() || buffer.byteSize() > MAX_MAPPING)
        {
            throw new ErrnoException(Errno.EINVAL, "riomap: " + buffer.byteSize() + " bytes of " +
                (buffer.isNative() ? buffer.isReadOnly() ? "read-only memory" : "native memory" : "heap memory") +
                " (native, writable, 1 byte to 4 GiB - 1)");
        }
        final boolean remote = PROT_WRITE == prot;
        sweep();
        if (remote && 0 == slotCount())
        {
            throw new ErrnoException(Errno.ENOMEM, "riomap: the peer accepts no mappings (its RDMA_IOMAPSIZE is 0)");
        }
        final MemoryRegion mr = ep.qp.protectionDomain().registerMemory(buffer,
            Access.LOCAL_WRITE | (remote ? Access.REMOTE_WRITE : 0));
        final Mapping m = new Mapping(buffer, owner, mr, -1 == offset ? buffer.address() : offset);
        stateLock.lock();
        try
        {
            final int slot = remote ? freeSlot() : -1;
            if (path.released || (remote && slot < 0))
            {
                StreamRsocket.closeQuietly(mr);
                throw path.released ? new ErrnoException(Errno.EBADF, "riomap: socket closed") :
                    new ErrnoException(Errno.ENOMEM, "riomap: all " + slots.length + " mappings the peer accepts " +
                        "are in use");
            }
            if (remote)
            {
                slots[slot] = m;
                markDirty(slot);
            }
            else
            {
                localOnly.add(m);
            }
            held++;
        }
        finally
        {
            stateLock.unlock();
        }
        publish(true);
        return m.offset;
    }

    /**
     * {@code riounmap}: deregisters the mapping of exactly this buffer (address and length, as C) and
     * publishes a zeroed entry in its slot.
     *
     * @param buffer the memory mapped.
     * @return 0, or {@code -EINVAL} when no mapping matches.
     */
    int unmap(final MemorySegment buffer)
    {
        final Mapping m;
        stateLock.lock();
        try
        {
            m = remove(buffer.address(), buffer.byteSize());
        }
        finally
        {
            stateLock.unlock();
        }
        if (null == m)
        {
            return -Errno.EINVAL.code();
        }
        StreamRsocket.closeQuietly(m.mr);
        publish(true);
        return 0;
    }

    /** Deregisters every mapping; called by close, holding every lock, before the endpoint goes. */
    void releaseAll()
    {
        for (int i = 0; i < slots.length; i++)
        {
            if (null != slots[i])
            {
                StreamRsocket.closeQuietly(slots[i].mr);
                slots[i] = null;
            }
        }
        for (final Mapping m : localOnly)
        {
            StreamRsocket.closeQuietly(m.mr);
        }
        localOnly.clear();
        held = 0;
        pending = false;
    }

    /** @return mappings held (tests). */
    int held()
    {
        return held;
    }

    private int slotCount()
    {
        stateLock.lock();
        try
        {
            return slots.length;
        }
        finally
        {
            stateLock.unlock();
        }
    }

    private int freeSlot()
    {
        for (int i = 0; i < slots.length; i++)
        {
            if (null == slots[i])
            {
                return i;
            }
        }
        return -1;
    }

    private void markDirty(final int slot)
    {
        dirty[slot] = true;
        pending = true;
    }

    /** Takes the mapping of exactly {@code address, length} out of the tables; with the state lock held. */
    private Mapping remove(final long address, final long length)
    {
        for (int i = 0; i < slots.length; i++)
        {
            final Mapping m = slots[i];
            if (null != m && m.segment.address() == address && m.segment.byteSize() == length)
            {
                slots[i] = null;
                markDirty(i);
                held--;
                return m;
            }
        }
        for (int i = 0; i < localOnly.size(); i++)
        {
            final Mapping m = localOnly.get(i);
            if (m.segment.address() == address && m.segment.byteSize() == length)
            {
                localOnly.remove(i);
                held--;
                return m;
            }
        }
        return null;
    }

    /**
     * Drops mappings whose arena was closed: deregistered, and zeroed at the peer with the next update.
     * Cheap when nothing is mapped.
     */
    private void sweep()
    {
        if (0 == held)
        {
            return;
        }
        stateLock.lock();
        try
        {
            for (int i = 0; i < slots.length; i++)
            {
                final Mapping m = slots[i];
                if (null != m && !m.segment.scope().isAlive())
                {
                    slots[i] = null;
                    markDirty(i);
                    held--;
                    StreamRsocket.closeQuietly(m.mr);
                }
            }
            for (int i = localOnly.size() - 1; i >= 0; i--)
            {
                if (!localOnly.get(i).segment.scope().isAlive())
                {
                    StreamRsocket.closeQuietly(localOnly.remove(i).mr);
                    held--;
                }
            }
        }
        finally
        {
            stateLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------- publication

    /** @return whether an update waits to be posted (fast check on the send path). */
    boolean pending()
    {
        return pending || 0 != held;
    }

    /**
     * {@code rs_send_iomaps}: posts every queued update, waiting for room unless {@code nonblock}.
     *
     * @param nonblock return {@code -EAGAIN} rather than wait.
     * @return 0, or a negative errno ({@code EAGAIN}, or the write side's error).
     */
    int publish(final boolean nonblock)
    {
        sweep();
        while (pending)
        {
            stateLock.lock();
            try
            {
                if (path.released)
                {
                    return -Errno.EBADF.code();
                }
                if (0 == (socket.state & WRITABLE))
                {
                    return -path.writeErrno();
                }
                if (send.canWrite())
                {
                    final int rc = postNextUpdate();
                    if (0 != rc)
                    {
                        return rc;
                    }
                    continue;
                }
            }
            finally
            {
                stateLock.unlock();
            }
            if (nonblock)
            {
                return -Errno.EAGAIN.code();
            }
            final int rc = path.progress.getComp(false, TEST_CAN_WRITE, 0);
            if (0 != rc)
            {
                return rc;
            }
        }
        return 0;
    }

    /** {@code rs_write_iomap}: one slot's entry (zeros once unmapped) into the peer's table; state lock held. */
    private int postNextUpdate()
    {
        int slot = 0;
        while (slot < dirty.length && !dirty[slot])
        {
            slot++;
        }
        if (slot == dirty.length)
        {
            pending = false;
            return 0;
        }
        dirty[slot] = false;
        final Mapping m = slots[slot];
        entry.wrap(scratch, 0, peerOrder);
        if (null == m)
        {
            entry.set(0, 0, 0, 0);
        }
        else
        {
            entry.set(m.offset, m.mr.address(), m.mr.rkey(), m.mr.length());
        }
        send.onDirectPosted(IomapDescriptor.LENGTH);
        final int msg = ImmediateDescriptor.encode(OP_IOMAP_SGL, slot);
        return path.postCopied(scratch, 0, IomapDescriptor.LENGTH, WrOpcode.RDMA_WRITE_WITH_IMM, msg,
            remoteTable + (long)IomapDescriptor.LENGTH * slot, remoteKey);
    }

    /**
     * The peer wrote entry {@code data} of our table ({@code RS_OP_IOMAP_SGL}): take it whole. Called with
     * the state lock held, from the completion processor.
     *
     * @param data the immediate's data: the entry's index.
     */
    void onPeerEntry(final int data)
    {
        if (data >= peerOffset.length)
        {
            path.protocolError("iomap update of entry " + data + " of a table of " + peerOffset.length);
            return;
        }
        entry.wrap(ep.targetBuffer, TABLE_OFFSET + (long)IomapDescriptor.LENGTH * data, ByteOrder.LITTLE_ENDIAN);
        final SgeFlyweight sge = entry.sge();
        peerLength[data] = sge.length();
        peerAddress[data] = sge.address();
        peerKey[data] = sge.key();
        peerOffset[data] = entry.mapOffset();
    }

    // ---------------------------------------------------------------------------------------- riowrite

    /**
     * {@code riowrite}, under the send lock: pending updates first (as C), then the range is checked against
     * the peer's mappings, then RDMA writes of 2 KiB doubling to 64 KiB, each within one mapping and the free
     * ring bytes.
     *
     * @param src       the bytes.
     * @param srcOffset where they start in {@code src}.
     * @param count     how many.
     * @param offset    where they go in the peer's mappings.
     * @param nonblock  fail with {@code EAGAIN} instead of waiting.
     * @return bytes written (fewer when a wait would follow, or the peer dropped a mapping meanwhile), or a
     *         negative errno: {@code EFAULT} when {@code [offset, offset + count)} is not wholly mapped by
     *         the peer, {@code EAGAIN}, {@code EPIPE}/{@code ECONNRESET}.
     */
    long write(final MemorySegment src, final long srcOffset, final long count, final long offset,
        final boolean nonblock)
    {
        if (pending())
        {
            final int rc = publish(nonblock);
            if (0 != rc)
            {
                return rc;
            }
        }
        if (!covered(offset, count))
        {
            return -Errno.EFAULT.code();
        }
        long left = count;
        int ret = 0;
        boolean first = true;
        while (left > 0)
        {
            if (!canWrite())
            {
                ret = path.progress.getComp(nonblock, TEST_CAN_WRITE, 0);
                if (0 != ret)
                {
                    break;
                }
            }
            stateLock.lock();
            try
            {
                if (0 == (socket.state & WRITABLE))
                {
                    ret = -path.writeErrno();
                    break;
                }
                if (first)
                {
                    // Chunking as rsend's: a riowrite of 64 KiB goes as one RDMA write while earlier ones are in
                    // flight, not six (section 10: local policy).
                    send.startChunking();
                    first = false;
                }
                final long at = offset + (count - left);
                final int i = find(at);
                if (i < 0)
                {
                    ret = -Errno.EFAULT.code();
                    break;
                }
                final long within = at - peerOffset[i];
                final int xfer = send.directTransferSize(left, peerLength[i] - within);
                send.onDirectChunkPosted(xfer);
                ret = path.postCopied(src, srcOffset + (count - left), xfer, WrOpcode.RDMA_WRITE,
                    ImmediateDescriptor.encode(OP_WRITE, xfer), peerAddress[i] + within, peerKey[i]);
                if (0 != ret)
                {
                    break;
                }
                left -= xfer;
            }
            finally
            {
                stateLock.unlock();
            }
        }
        return 0 != ret && left == count ? ret : count - left;
    }

    private boolean canWrite()
    {
        stateLock.lock();
        try
        {
            return send.canWrite();
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /**
     * @return whether the peer's mappings cover {@code [offset, offset + count)}, after polling once for
     *         updates that arrived but were not yet processed.
     */
    private boolean covered(final long offset, final long count)
    {
        stateLock.lock();
        try
        {
            if (coveredNow(offset, count))
            {
                return true;
            }
            if (path.released)
            {
                return false;
            }
            path.progress.pollCq();
            return coveredNow(offset, count);
        }
        finally
        {
            stateLock.unlock();
        }
    }

    /** Offsets are u64 as on the wire: a mapping covers {@code at} when {@code at - start} is below its length. */
    private boolean coveredNow(final long offset, final long count)
    {
        long at = offset;
        long left = count;
        while (left > 0)
        {
            final int i = find(at);
            if (i < 0)
            {
                return false;
            }
            final long room = peerLength[i] - (at - peerOffset[i]);
            if (room >= left)
            {
                return true;
            }
            at += room;
            left -= room;
        }
        return true;
    }

    /** @return the peer mapping that holds offset {@code at}, or -1. */
    private int find(final long at)
    {
        for (int i = 0; i < peerLength.length; i++)
        {
            if (Long.compareUnsigned(at - peerOffset[i], peerLength[i]) < 0)
            {
                return i;
            }
        }
        return -1;
    }
}
