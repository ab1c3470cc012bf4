package io.rdmasockets.provider.tcp.internal;

import java.nio.ByteBuffer;

/**
 * The reader's ByteBuffer window onto registered memory: the rest of a large body is read from the socket
 * straight into the region, saving the copy out of the staging buffer. A single-buffer channel read of a
 * segment's view allocates nothing in the JDK; the window's duplicate is made only when the region changes.
 *
 * <p>The writer does not do the same: a gathering write (header and payload) allocates per call in JDK
 * NIO for segment-backed buffers and, tried anyway, was no faster than the copy (64 KiB bandwidth 0.59x and
 * 0.65x of JDK sockets against 0.60x and 0.73x, 2026-12-07); a second write for the header alone cost more
 * than the copy it saves (0.62x against 0.77x).
 *
 * <p>Not thread-safe. The caller holds the region with {@link TcpMemoryRegion#acquire()} while the window
 * is in use.
 */
final class RegionWindow
{
    private final int minBytes = TcpConfiguration.directBytes();
    private TcpMemoryRegion region;
    private ByteBuffer view;

    /**
     * @param length bytes a transfer would move.
     * @return true when a transfer of that size should go straight into the region.
     */
    boolean worthIt(final long length)
    {
        return length >= minBytes;
    }

    /**
     * @param r      the region (acquired by the caller).
     * @param offset first byte, inside the region.
     * @param length bytes; offset + length is inside the region.
     * @return the window positioned on those bytes, or null when the region has no view (over 2 GiB).
     */
    ByteBuffer open(final TcpMemoryRegion r, final long offset, final int length)
    {
        if (r != region)
        {
            final ByteBuffer base = r.view();
            if (null == base)
            {
                return null;
            }
            view = base.duplicate();
            region = r;
        }
        view.clear();
        view.limit((int)offset + length).position((int)offset);
        return view;
    }
}
