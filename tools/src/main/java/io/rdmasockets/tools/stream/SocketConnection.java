package io.rdmasockets.tools.stream;

import io.rdmasockets.common.Errno;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * A {@link Connection} over a JDK {@link SocketChannel}: nonblocking channels return {@code -EAGAIN} where
 * C's calls would, a blocking receive with {@code MSG_WAITALL} reads until it has everything, and
 * {@link #poll} is a zero-timeout select. The {@link ByteBuffer} views of the buffers sent from and
 * received into are made once each.
 */
final class SocketConnection implements Connection
{
    private final SocketChannel channel;
    private final boolean nonblocking;
    private final Consumer<SelectionKey> onReady = key -> readyOps = key.readyOps();
    private final View sendView = new View();
    private final View recvView = new View();
    private Selector selector;
    private SelectionKey key;
    private int readyOps;
    private IOException failure;

    SocketConnection(final SocketChannel channel, final boolean nonblocking)
    {
        this.channel = channel;
        this.nonblocking = nonblocking;
    }

    @Override
    public int send(final MemorySegment buffer, final long offset, final int length, final int flags)
    {
        final ByteBuffer b = sendView.of(buffer, offset, length);
        try
        {
            final int n = channel.write(b);
            return 0 == n ? -Errno.EAGAIN.code() : n;
        }
        catch (final IOException e)
        {
            return fail(e);
        }
    }

    @Override
    public int recv(final MemorySegment buffer, final long offset, final int length, final int flags)
    {
        final ByteBuffer b = recvView.of(buffer, offset, length);
        try
        {
            int total = 0;
            do
            {
                final int n = channel.read(b);
                if (n <= 0)
                {
                    return total > 0 ? total : n < 0 ? 0 : -Errno.EAGAIN.code();
                }
                total += n;
            }
            while (!nonblocking && 0 != (flags & MSG_WAITALL) && b.hasRemaining());
            return total;
        }
        catch (final IOException e)
        {
            return fail(e);
        }
    }

    @Override
    public int poll(final int events)
    {
        try
        {
            if (null == selector)
            {
                selector = Selector.open();
                key = channel.register(selector, 0);
            }
            key.interestOps((0 != (events & POLLIN) ? SelectionKey.OP_READ : 0) |
                (0 != (events & POLLOUT) ? SelectionKey.OP_WRITE : 0));
            readyOps = 0;
            selector.selectNow(onReady);
            return (0 != (readyOps & SelectionKey.OP_READ) ? POLLIN : 0) |
                (0 != (readyOps & SelectionKey.OP_WRITE) ? POLLOUT : 0);
        }
        catch (final IOException | RuntimeException e)
        {
            failure = e instanceof IOException io ? io : new IOException(e);
            return POLLERR;
        }
    }

    @Override
    public String describe(final int status)
    {
        return null == failure ? Connection.super.describe(status) :
            Errno.nameOf(-status) + " (" + failure.getMessage() + ")";
    }

    @Override
    public void shutdown()
    {
        try
        {
            channel.shutdownOutput();
            channel.shutdownInput();
        }
        catch (final IOException ignored)
        {
            // The peer may have gone first; close follows.
        }
    }

    @Override
    public void close()
    {
        try
        {
            if (null != selector)
            {
                selector.close();
            }
            channel.close();
        }
        catch (final IOException ignored)
        {
            // Nothing left to release.
        }
    }

    /** A cached {@link ByteBuffer} view of the last segment used in one direction. */
    private static final class View
    {
        private MemorySegment viewed;
        private ByteBuffer view;

        ByteBuffer of(final MemorySegment buffer, final long offset, final int length)
        {
            if (buffer != viewed)
            {
                view = buffer.asByteBuffer();
                viewed = buffer;
            }
            view.limit((int)offset + length).position((int)offset);
            return view;
        }
    }

    /** A channel failure as the errno a socket call would have set; the exception says more. */
    private int fail(final IOException e)
    {
        failure = e;
        final String text = String.valueOf(e.getMessage());
        final Errno errno = e instanceof ClosedChannelException ? Errno.EBADF :
            text.contains("reset") ? Errno.ECONNRESET : text.contains("Broken pipe") ? Errno.EPIPE : Errno.EIO;
        return -errno.code();
    }
}
