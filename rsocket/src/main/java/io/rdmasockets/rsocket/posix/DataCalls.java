package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The data calls; see {@link Rsockets} for their contracts. With a native segment, a reused array or a reused
 * direct buffer, nothing here allocates: descriptor lookup, engine call and errno are allocation-free.
 */
final class DataCalls
{
    private DataCalls()
    {
    }

    static long send(final int fd, final MemorySegment buf, final long len, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || len < 0 || len > buf.byteSize())
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        return Errnos.result(d.send(buf, 0, len, flags));
    }

    static int send(final int fd, final byte[] buf, final int off, final int len, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || off < 0 || len < 0 || off > buf.length - len)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        return (int)Errnos.result(d.send(d.sendSegment(buf), off, len, flags));
    }

    static int send(final int fd, final ByteBuffer buf, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        MemorySegment s = d.segment(buf, true);
        long offset = RsocketFd.offsetOf(buf);
        if (null == s)
        {
            // A read-only heap buffer hides its array: a view of it, once per call.
            s = MemorySegment.ofBuffer(buf);
            offset = 0;
        }
        final int n = (int)Errnos.result(d.send(s, offset, buf.remaining(), flags));
        if (n > 0)
        {
            buf.position(buf.position() + n);
        }
        return n;
    }

    static long sendto(final int fd, final MemorySegment buf, final long len, final int flags,
        final InetSocketAddress dest)
    {
        if (null == Descriptors.socket(fd))
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        // A stream socket is connected already, as C and Linux say.
        return null != dest ? Errnos.fail(Errno.EISCONN.code()) : send(fd, buf, len, flags);
    }

    static long sendv(final int fd, final MemorySegment[] iov, final int iovcnt, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        final long total = total(iov, iovcnt);
        if (total < 0)
        {
            return Errnos.fail((int)-total);
        }
        return Errnos.result(d.rs.sendv(iov, iovcnt, total, flags));
    }

    static long sendv(final int fd, final ByteBuffer[] iov, final int iovcnt, final int flags)
    {
        final MemorySegment[] segments = segments(iov, iovcnt);
        if (null == segments)
        {
            return -1;
        }
        final long n = sendv(fd, segments, iovcnt, flags);
        advance(iov, iovcnt, n);
        return n;
    }

    static long sendmsg(final int fd, final MsgHdr msg, final int flags)
    {
        if (null == Descriptors.socket(fd))
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == msg)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        if (null != msg.control() && 0 != msg.control().byteSize())
        {
            return Errnos.fail(Errno.ENOTSUP.code());
        }
        return sendv(fd, msg.iov(), msg.iovlen(), flags);
    }

    static long recv(final int fd, final MemorySegment buf, final long len, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || len < 0 || len > buf.byteSize() || buf.isReadOnly())
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        return Errnos.result(d.recv(buf, 0, len, flags));
    }

    static int recv(final int fd, final byte[] buf, final int off, final int len, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || off < 0 || len < 0 || off > buf.length - len)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        return (int)Errnos.result(d.recv(d.recvSegment(buf), off, len, flags));
    }

    static int recv(final int fd, final ByteBuffer buf, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == buf || buf.isReadOnly())
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        final int n = (int)Errnos.result(d.recv(d.segment(buf, false), RsocketFd.offsetOf(buf), buf.remaining(),
            flags));
        if (n > 0)
        {
            buf.position(buf.position() + n);
        }
        return n;
    }

    static long recvfrom(final int fd, final MemorySegment buf, final long len, final int flags,
        final SockAddr src)
    {
        final long n = recv(fd, buf, len, flags);
        if (n > 0 && null != src)
        {
            final RsocketFd d = Descriptors.socket(fd);
            if (null != d)
            {
                src.set(d.rs.peerAddress());
            }
        }
        return n;
    }

    static long recvv(final int fd, final MemorySegment[] iov, final int iovcnt, final int flags)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        final long total = total(iov, iovcnt);
        if (total < 0)
        {
            return Errnos.fail((int)-total);
        }
        for (int i = 0; i < iovcnt; i++)
        {
            if (iov[i].isReadOnly())
            {
                return Errnos.fail(Errno.EFAULT.code());
            }
        }
        return Errnos.result(d.rs.recvv(iov, iovcnt, total, flags));
    }

    static long recvv(final int fd, final ByteBuffer[] iov, final int iovcnt, final int flags)
    {
        final MemorySegment[] segments = segments(iov, iovcnt);
        if (null == segments)
        {
            return -1;
        }
        final long n = recvv(fd, segments, iovcnt, flags);
        advance(iov, iovcnt, n);
        return n;
    }

    static long recvmsg(final int fd, final MsgHdr msg, final int flags)
    {
        if (null == Descriptors.socket(fd))
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == msg)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        if (null != msg.control() && 0 != msg.control().byteSize())
        {
            return Errnos.fail(Errno.ENOTSUP.code());
        }
        final long n = recvv(fd, msg.iov(), msg.iovlen(), flags);
        if (n >= 0)
        {
            msg.flags(0);
        }
        return n;
    }

    /** @return the vector's total length, or a negative errno: EFAULT for a missing one, EINVAL for a bad count. */
    private static long total(final MemorySegment[] iov, final int iovcnt)
    {
        if (null == iov)
        {
            return -Errno.EFAULT.code();
        }
        if (iovcnt < 0 || iovcnt > iov.length)
        {
            return -Errno.EINVAL.code();
        }
        long total = 0;
        for (int i = 0; i < iovcnt; i++)
        {
            if (null == iov[i])
            {
                return -Errno.EFAULT.code();
            }
            total += iov[i].byteSize();
        }
        return total;
    }

    /** @return segments over the buffers' remaining bytes, or {@code null} with errno set. */
    private static MemorySegment[] segments(final ByteBuffer[] iov, final int iovcnt)
    {
        if (null == iov)
        {
            Errnos.set(Errno.EFAULT.code());
            return null;
        }
        if (iovcnt < 0 || iovcnt > iov.length)
        {
            Errnos.set(Errno.EINVAL.code());
            return null;
        }
        final MemorySegment[] segments = new MemorySegment[iovcnt];
        for (int i = 0; i < iovcnt; i++)
        {
            if (null == iov[i])
            {
                Errnos.set(Errno.EFAULT.code());
                return null;
            }
            segments[i] = MemorySegment.ofBuffer(iov[i]);
        }
        return segments;
    }

    /** Moves the buffers' positions past {@code n} bytes, in order, as NIO's scattering and gathering calls. */
    private static void advance(final ByteBuffer[] iov, final int iovcnt, final long n)
    {
        long left = n;
        for (int i = 0; i < iovcnt && left > 0; i++)
        {
            final int step = (int)Math.min(left, iov[i].remaining());
            iov[i].position(iov[i].position() + step);
            left -= step;
        }
    }
}
