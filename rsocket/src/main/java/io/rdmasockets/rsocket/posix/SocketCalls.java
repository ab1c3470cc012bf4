package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;
import io.rdmasockets.common.ErrnoException;
import io.rdmasockets.rsocket.config.RsocketConfig;
import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.verbs.VerbsProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectableChannel;

import static io.rdmasockets.rsocket.posix.RsocketConstants.*;

/** The calls that make, connect, inspect and close descriptors; see {@link Rsockets} for their contracts. */
final class SocketCalls
{
    private SocketCalls()
    {
    }

    static int socket(final VerbsProvider provider, final int domain, final int type, final int protocol)
    {
        final int socketType = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
        // C answers ENOTSUP for every combination it does not take; AF_IB and datagrams are not built here.
        if ((AF_INET != domain && AF_INET6 != domain) || SOCK_STREAM != socketType ||
            (0 != protocol && IPPROTO_TCP != protocol))
        {
            return Errnos.fail(Errno.ENOTSUP.code());
        }
        if (null == provider)
        {
            return Errnos.fail(Errno.ENODEV.code());
        }
        final StreamRsocket rs;
        try
        {
            rs = StreamRsocket.open(provider, RsocketConfig.process());
        }
        catch (final ErrnoException e)
        {
            return Errnos.fail(e.errno());
        }
        return insert(new RsocketFd(rs, domain, 0 != (type & SOCK_NONBLOCK) ? O_NONBLOCK : 0,
            0 != (type & SOCK_CLOEXEC) ? FD_CLOEXEC : 0));
    }

    /** @return a descriptor for {@code d}, or -1 with EMFILE after closing it. */
    private static int insert(final Descriptor d)
    {
        final int fd = Descriptors.allocate(d);
        if (fd < 0)
        {
            d.close();
            return Errnos.fail(Errno.EMFILE.code());
        }
        return fd;
    }

    static int register(final SelectableChannel channel)
    {
        if (null == channel)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        try
        {
            // A selector takes only non-blocking channels.
            channel.configureBlocking(false);
        }
        catch (final IOException e)
        {
            return Errnos.fail(channel.isOpen() ? Errno.EINVAL.code() : Errno.EBADF.code());
        }
        return insert(new ChannelFd(channel));
    }

    static int bind(final int fd, final InetSocketAddress address)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        final InetSocketAddress a = Addresses.check(d.domain, address);
        if (null == a)
        {
            return -1;
        }
        try
        {
            d.rs.bind(a);
            return 0;
        }
        catch (final ErrnoException e)
        {
            return Errnos.fail(e.errno());
        }
    }

    static int listen(final int fd, final int backlog)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        try
        {
            d.rs.listen(backlog);
            return 0;
        }
        catch (final ErrnoException e)
        {
            return Errnos.fail(e.errno());
        }
    }

    static int accept(final int fd, final SockAddr address)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        final StreamRsocket child;
        try
        {
            child = d.rs.accept();
        }
        catch (final ErrnoException e)
        {
            // C: EBADF on a socket that is not listening (Linux says EINVAL).
            return Errnos.fail(Errno.EINVAL.code() == e.errno() ? Errno.EBADF.code() : e.errno());
        }
        // As C since rdma-core v63: the new socket inherits the listener's file status and descriptor flags.
        final int newFd = insert(new RsocketFd(child, d.domain, d.fsFlags(), d.fdFlags()));
        if (newFd >= 0 && null != address)
        {
            address.set(child.peerAddress());
        }
        return newFd;
    }

    static int connect(final int fd, final InetSocketAddress address)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        final InetSocketAddress a = Addresses.check(d.domain, address);
        if (null == a)
        {
            return -1;
        }
        try
        {
            d.rs.connect(a);
            return 0;
        }
        catch (final ErrnoException e)
        {
            // C drives a connect in progress and answers EINPROGRESS until it is done, then 0 (also once
            // connected, where Linux says EISCONN).
            if (Errno.EISCONN.code() == e.errno())
            {
                return 0;
            }
            return Errnos.fail(Errno.EALREADY.code() == e.errno() ? Errno.EINPROGRESS.code() : e.errno());
        }
    }

    static int shutdown(final int fd, final int how)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        final int rc = d.rs.shutdown(how);
        // C does nothing and answers 0 on a socket that is not connected.
        return -Errno.ENOTCONN.code() == rc ? 0 : Errnos.result(rc);
    }

    static int close(final int fd)
    {
        final Descriptor d = Descriptors.remove(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        d.close();
        return 0;
    }

    static int peerName(final int fd, final SockAddr address)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == address)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        final InetSocketAddress peer = d.rs.peerAddress();
        if (null == peer)
        {
            return Errnos.fail(Errno.ENOTCONN.code());
        }
        address.set(peer);
        return 0;
    }

    static int sockName(final int fd, final SockAddr address)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        if (null == address)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        final InetSocketAddress local = d.rs.localAddress();
        address.set(null == local ? Addresses.any(d.domain) : local);
        return 0;
    }

    static int fcntl(final int fd, final int cmd, final int arg)
    {
        final RsocketFd d = Descriptors.socket(fd);
        if (null == d)
        {
            return Errnos.fail(Errno.EBADF.code());
        }
        switch (cmd)
        {
            case F_GETFL:
                return d.fsFlags();
            case F_SETFL:
                d.fsFlags(arg);
                return 0;
            case F_GETFD:
                return d.fdFlags();
            case F_SETFD:
                d.fdFlags(arg);
                return 0;
            default:
                return Errnos.fail(Errno.ENOTSUP.code());
        }
    }
}
