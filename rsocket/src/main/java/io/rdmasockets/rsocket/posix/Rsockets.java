package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;

/**
 * rsocket(7) for Java, call for call: {@code rsocket}, {@code rbind}, {@code rlisten}, {@code raccept},
 * {@code rconnect}, {@code rshutdown}, {@code rclose}, the send and receive family, {@code rpoll}, {@code rselect},
 * {@code rgetpeername}, {@code rgetsockname}, {@code rsetsockopt}, {@code rgetsockopt}, {@code rfcntl}. Descriptors
 * are {@code int}s; a call that fails returns -1 and sets this thread's {@link #errno()}, as C. See the
 * {@linkplain io.rdmasockets.rsocket.posix package} for the mapping of C's types and the differences from C.
 *
 * <pre>{@code
 * import static io.rdmasockets.rsocket.posix.Rsockets.*;
 * import static io.rdmasockets.rsocket.posix.RsocketConstants.*;
 *
 * int fd = rsocket(AF_INET, SOCK_STREAM, 0);
 * if (rconnect(fd, new InetSocketAddress("192.168.1.2", 7471)) < 0) {
 *     System.err.println("rconnect: " + strerror(errno()));
 * }
 * long n = rsend(fd, segment, segment.byteSize(), 0);
 * rclose(fd);
 * }</pre>
 *
 * <p><b>Note:</b> thread safe, as C's calls are: descriptors may be shared between threads; one thread may
 * receive while another sends on the same descriptor.
 */
public final class Rsockets
{
    private Rsockets()
    {
    }

    // ---------------------------------------------------------------------------------------- errno

    /** @return this thread's errno: set by the last call that failed, left alone by calls that succeed. */
    public static int errno()
    {
        return Errnos.get();
    }

    /**
     * @param errnum an errno value.
     * @return its text, as strerror(3): e.g. {@code "Connection refused"}, or {@code "Unknown error 200"}.
     */
    public static String strerror(final int errnum)
    {
        final Errno e = Errno.of(errnum);
        return null == e ? "Unknown error " + errnum : e.description();
    }

    // ---------------------------------------------------------------------------------------- setup

    /**
     * {@code rsocket(domain, type, protocol)} on the default verbs provider ({@link Verbs#defaultProvider()}).
     *
     * @param domain   {@code AF_INET} or {@code AF_INET6}.
     * @param type     {@code SOCK_STREAM}, optionally or-ed with {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}.
     * @param protocol 0 or {@code IPPROTO_TCP}.
     * @return the descriptor, or -1: {@code ENOTSUP} for another family, type or protocol (as C; datagram
     *         rsockets and {@code AF_IB} are not built), {@code ENODEV} without a verbs provider, {@code EMFILE}.
     */
    public static int rsocket(final int domain, final int type, final int protocol)
    {
        VerbsProvider provider;
        try
        {
            provider = Verbs.defaultProvider();
        }
        catch (final IllegalStateException e)
        {
            provider = null;
        }
        return SocketCalls.socket(provider, domain, type, protocol);
    }

    /**
     * {@code rsocket} on a given verbs provider.
     *
     * @param provider the provider, e.g. {@code Verbs.provider("tcp").orElseThrow()}.
     * @param domain   {@code AF_INET} or {@code AF_INET6}.
     * @param type     {@code SOCK_STREAM}, optionally or-ed with {@code SOCK_NONBLOCK} and {@code SOCK_CLOEXEC}.
     * @param protocol 0 or {@code IPPROTO_TCP}.
     * @return the descriptor, or -1 as {@link #rsocket(int, int, int)}.
     */
    public static int rsocket(final VerbsProvider provider, final int domain, final int type, final int protocol)
    {
        return SocketCalls.socket(provider, domain, type, protocol);
    }

    /**
     * Gives a JDK channel a descriptor so that {@link #rpoll} and {@link #rselect} wait for it together with
     * rsockets (rsocket(7) lets C mix rsocket and normal descriptors in one call). The channel is put in
     * non-blocking mode, which a selector requires. Only {@code rpoll}, {@code rselect} and {@code rclose} take
     * the descriptor ({@code rclose} forgets the channel and leaves it open); other calls fail with
     * {@code EBADF}, as C's do on a descriptor that is not an rsocket.
     *
     * @param channel a socket, server socket, pipe or datagram channel.
     * @return the descriptor, or -1: {@code EBADF} for a closed channel, {@code EFAULT} for {@code null}.
     */
    public static int rregister(final SelectableChannel channel)
    {
        return SocketCalls.register(channel);
    }

    /**
     * {@code rbind}.
     *
     * @param socket  the descriptor.
     * @param address the local address, numeric; port 0 for any.
     * @return 0, or -1: {@code EADDRINUSE}, {@code EADDRNOTAVAIL}, {@code EINVAL} when bound already (or an IPv4
     *         address with {@code IPV6_V6ONLY}), {@code EAFNOSUPPORT} for IPv6 on {@code AF_INET}, {@code EBADF}.
     */
    public static int rbind(final int socket, final InetSocketAddress address)
    {
        return SocketCalls.bind(socket, address);
    }

    /**
     * {@code rlisten}: from now on connections are accepted in the background, as C's listen service does.
     *
     * @param socket  the descriptor, bound or not (an unbound one takes any address and a free port).
     * @param backlog connection requests to queue.
     * @return 0 (also when listening already), or -1: {@code EADDRINUSE}, {@code EINVAL}, {@code EBADF}.
     */
    public static int rlisten(final int socket, final int backlog)
    {
        return SocketCalls.listen(socket, backlog);
    }

    /**
     * {@code raccept}: the next connection, waiting for one unless {@code O_NONBLOCK}. The new descriptor has the
     * listener's {@code F_GETFL} and {@code F_GETFD} flags, as C's since rdma-core v63.
     *
     * @param socket  the listening descriptor.
     * @param address receives the peer's address; may be {@code null}.
     * @return the new descriptor, or -1: {@code EAGAIN} when non-blocking and none is ready, {@code EBADF} when
     *         not listening (as C; Linux says EINVAL) or closed meanwhile, {@code EINTR}, {@code EMFILE}.
     */
    public static int raccept(final int socket, final SockAddr address)
    {
        return SocketCalls.accept(socket, address);
    }

    /**
     * {@code rconnect}. Blocking, it returns once connected. With {@code O_NONBLOCK} it fails at once with
     * {@code EINPROGRESS} and the connection proceeds without the program calling in; {@link #rpoll} then reports
     * {@code POLLOUT} (or {@code POLLERR}) and {@code SO_ERROR} tells the outcome. As C, calling it again answers
     * {@code EINPROGRESS} while under way and 0 once connected.
     *
     * @param socket  the descriptor.
     * @param address the peer, numeric.
     * @return 0, or -1: {@code EINPROGRESS}, {@code ECONNREFUSED}, {@code ETIMEDOUT}, {@code EHOSTUNREACH},
     *         {@code ENETUNREACH} (IPv4 with {@code IPV6_V6ONLY}), {@code ENOTCONN} after a failed or ended
     *         connection, {@code EINVAL} when listening, {@code EAFNOSUPPORT}, {@code EBADF}.
     */
    public static int rconnect(final int socket, final InetSocketAddress address)
    {
        return SocketCalls.connect(socket, address);
    }

    /**
     * {@code rshutdown}: {@code SHUT_WR} sends the end of the stream after what was sent, {@code SHUT_RD} ends
     * reading (nothing is sent while writing stays open), {@code SHUT_RDWR} both. It waits for sends to complete,
     * also with {@code O_NONBLOCK}, as C.
     *
     * @param socket the descriptor.
     * @param how    {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}.
     * @return 0 (also on a socket never connected, as C), or -1: {@code EINVAL} for another {@code how},
     *         {@code EBADF}.
     */
    public static int rshutdown(final int socket, final int how)
    {
        return SocketCalls.shutdown(socket, how);
    }

    /**
     * {@code rclose}: shuts a connected socket down (waiting at most a second for the peer to take it), wakes every
     * thread blocked on it, releases it. The descriptor may be handed out again from then on. On a descriptor of
     * {@link #rregister}, forgets the channel (which stays open).
     *
     * @param socket the descriptor.
     * @return 0, or -1 with {@code EBADF} when it is not open (C returns a positive EBADF).
     */
    public static int rclose(final int socket)
    {
        return SocketCalls.close(socket);
    }

    // ---------------------------------------------------------------------------------------- send

    /**
     * {@code rsend}: blocking, it sends everything; with {@code MSG_DONTWAIT} or {@code O_NONBLOCK}, what fits now.
     *
     * @param socket the descriptor.
     * @param buf    the bytes, heap or native.
     * @param len    how many, from the start of {@code buf}.
     * @param flags  {@code MSG_DONTWAIT}; others ({@code MSG_NOSIGNAL}, ...) are ignored, as C.
     * @return bytes sent, or -1: {@code EAGAIN} when none fit (or connecting), {@code EPIPE} after
     *         {@code SHUT_WR}, {@code ECONNRESET} once the connection is gone, {@code ENOTCONN}, {@code EFAULT}
     *         when {@code len} exceeds {@code buf}, {@code EBADF}.
     */
    public static long rsend(final int socket, final MemorySegment buf, final long len, final int flags)
    {
        return DataCalls.send(socket, buf, len, flags);
    }

    /**
     * {@code rsend} from an array; a program that reuses its array allocates nothing.
     *
     * @param socket the descriptor.
     * @param buf    the array.
     * @param off    where the bytes start.
     * @param len    how many.
     * @param flags  as {@link #rsend(int, MemorySegment, long, int)}.
     * @return bytes sent, or -1 as {@link #rsend(int, MemorySegment, long, int)}.
     */
    public static int rsend(final int socket, final byte[] buf, final int off, final int len, final int flags)
    {
        return DataCalls.send(socket, buf, off, len, flags);
    }

    /**
     * {@code rsend} of a buffer's remaining bytes; its position moves past those sent, as NIO's.
     *
     * @param socket the descriptor.
     * @param buf    heap, direct or read-only.
     * @param flags  as {@link #rsend(int, MemorySegment, long, int)}.
     * @return bytes sent, or -1 as {@link #rsend(int, MemorySegment, long, int)}.
     */
    public static int rsend(final int socket, final ByteBuffer buf, final int flags)
    {
        return DataCalls.send(socket, buf, flags);
    }

    /**
     * {@code rsendto}: {@link #rsend} on a stream socket, which is connected already.
     *
     * @param socket  the descriptor.
     * @param buf     the bytes.
     * @param len     how many.
     * @param flags   as {@link #rsend(int, MemorySegment, long, int)}.
     * @param address must be {@code null}.
     * @return bytes sent, or -1: {@code EISCONN} for an address, as C; else as {@code rsend}.
     */
    public static long rsendto(final int socket, final MemorySegment buf, final long len, final int flags,
        final InetSocketAddress address)
    {
        return DataCalls.sendto(socket, buf, len, flags, address);
    }

    /**
     * {@code rsendmsg}: the I/O vector as one stream of bytes, with no other send in between.
     *
     * @param socket the descriptor.
     * @param msg    the vector; its name is ignored, control data must be empty.
     * @param flags  as {@link #rsend(int, MemorySegment, long, int)}.
     * @return bytes sent, or -1: {@code ENOTSUP} for control data; else as {@code rsend}.
     */
    public static long rsendmsg(final int socket, final MsgHdr msg, final int flags)
    {
        return DataCalls.sendmsg(socket, msg, flags);
    }

    /**
     * {@code rwrite}: {@code rsend} with no flags.
     *
     * @param socket the descriptor.
     * @param buf    the bytes.
     * @param count  how many.
     * @return bytes written, or -1 as {@link #rsend(int, MemorySegment, long, int)}.
     */
    public static long rwrite(final int socket, final MemorySegment buf, final long count)
    {
        return DataCalls.send(socket, buf, count, 0);
    }

    /**
     * {@code rwrite} from an array.
     *
     * @param socket the descriptor.
     * @param buf    the array.
     * @param off    where the bytes start.
     * @param count  how many.
     * @return bytes written, or -1 as {@link #rsend(int, MemorySegment, long, int)}.
     */
    public static int rwrite(final int socket, final byte[] buf, final int off, final int count)
    {
        return DataCalls.send(socket, buf, off, count, 0);
    }

    /**
     * {@code rwritev}: every segment whole, in order, as one stream of bytes with no other send in between.
     *
     * @param socket the descriptor.
     * @param iov    the segments ({@code struct iovec}s).
     * @param iovcnt how many of them.
     * @return bytes written, or -1: {@code EINVAL} for a bad count; else as {@code rsend}.
     */
    public static long rwritev(final int socket, final MemorySegment[] iov, final int iovcnt)
    {
        return DataCalls.sendv(socket, iov, iovcnt, 0);
    }

    /**
     * {@code rwritev} of buffers' remaining bytes; their positions move past what was written, as NIO's.
     *
     * @param socket the descriptor.
     * @param iov    the buffers.
     * @param iovcnt how many of them.
     * @return bytes written, or -1 as {@link #rwritev(int, MemorySegment[], int)}.
     */
    public static long rwritev(final int socket, final ByteBuffer[] iov, final int iovcnt)
    {
        return DataCalls.sendv(socket, iov, iovcnt, 0);
    }

    // ---------------------------------------------------------------------------------------- receive

    /**
     * {@code rrecv}: what has arrived, waiting for the first byte unless {@code MSG_DONTWAIT} or
     * {@code O_NONBLOCK}; with {@code MSG_WAITALL} all {@code len} bytes (or the end of the stream).
     *
     * @param socket the descriptor.
     * @param buf    where to put them, heap or native.
     * @param len    most bytes, from the start of {@code buf}.
     * @param flags  {@code MSG_DONTWAIT}, {@code MSG_PEEK}, {@code MSG_WAITALL}.
     * @return bytes received, 0 at the end of the stream, or -1: {@code EAGAIN} when none has arrived (or
     *         connecting), {@code ECONNRESET}, {@code ENOTCONN}, {@code EFAULT}, {@code EINTR}, {@code EBADF}.
     */
    public static long rrecv(final int socket, final MemorySegment buf, final long len, final int flags)
    {
        return DataCalls.recv(socket, buf, len, flags);
    }

    /**
     * {@code rrecv} into an array; a program that reuses its array allocates nothing.
     *
     * @param socket the descriptor.
     * @param buf    the array.
     * @param off    where to put the bytes.
     * @param len    most bytes.
     * @param flags  as {@link #rrecv(int, MemorySegment, long, int)}.
     * @return bytes received, 0 at the end of the stream, or -1 as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static int rrecv(final int socket, final byte[] buf, final int off, final int len, final int flags)
    {
        return DataCalls.recv(socket, buf, off, len, flags);
    }

    /**
     * {@code rrecv} into a buffer's remaining room; its position moves past the bytes received, as NIO's.
     *
     * @param socket the descriptor.
     * @param buf    heap or direct, not read-only.
     * @param flags  as {@link #rrecv(int, MemorySegment, long, int)}.
     * @return bytes received, 0 at the end of the stream, or -1 as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static int rrecv(final int socket, final ByteBuffer buf, final int flags)
    {
        return DataCalls.recv(socket, buf, flags);
    }

    /**
     * {@code rrecvfrom}: {@link #rrecv}, and the peer's address when bytes came.
     *
     * @param socket  the descriptor.
     * @param buf     where to put them.
     * @param len     most bytes.
     * @param flags   as {@link #rrecv(int, MemorySegment, long, int)}.
     * @param address receives the peer's address; may be {@code null}.
     * @return as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static long rrecvfrom(final int socket, final MemorySegment buf, final long len, final int flags,
        final SockAddr address)
    {
        return DataCalls.recvfrom(socket, buf, len, flags, address);
    }

    /**
     * {@code rrecvmsg}: fills the I/O vector in order with what has arrived (C fills only the first segment),
     * waiting for the first byte as {@code rrecv}. Sets the message's flags to 0; leaves its name alone.
     *
     * @param socket the descriptor.
     * @param msg    the vector; control data must be empty.
     * @param flags  as {@link #rrecv(int, MemorySegment, long, int)} (C reads {@code msg_flags} instead).
     * @return bytes received, 0 at the end of the stream, or -1: {@code ENOTSUP} for control data; else as
     *         {@code rrecv}.
     */
    public static long rrecvmsg(final int socket, final MsgHdr msg, final int flags)
    {
        return DataCalls.recvmsg(socket, msg, flags);
    }

    /**
     * {@code rread}: {@code rrecv} with no flags.
     *
     * @param socket the descriptor.
     * @param buf    where to put them.
     * @param count  most bytes.
     * @return bytes read, 0 at the end of the stream, or -1 as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static long rread(final int socket, final MemorySegment buf, final long count)
    {
        return DataCalls.recv(socket, buf, count, 0);
    }

    /**
     * {@code rread} into an array.
     *
     * @param socket the descriptor.
     * @param buf    the array.
     * @param off    where to put the bytes.
     * @param count  most bytes.
     * @return bytes read, 0 at the end of the stream, or -1 as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static int rread(final int socket, final byte[] buf, final int off, final int count)
    {
        return DataCalls.recv(socket, buf, off, count, 0);
    }

    /**
     * {@code rreadv}: fills the segments in order with what has arrived (C fills only the first), waiting for the
     * first byte.
     *
     * @param socket the descriptor.
     * @param iov    the segments, each filled from its start.
     * @param iovcnt how many of them.
     * @return bytes read, 0 at the end of the stream, or -1 as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static long rreadv(final int socket, final MemorySegment[] iov, final int iovcnt)
    {
        return DataCalls.recvv(socket, iov, iovcnt, 0);
    }

    /**
     * {@code rreadv} into buffers' remaining room; their positions move past what was read, as NIO's.
     *
     * @param socket the descriptor.
     * @param iov    the buffers, none read-only.
     * @param iovcnt how many of them.
     * @return bytes read, 0 at the end of the stream, or -1 as {@link #rrecv(int, MemorySegment, long, int)}.
     */
    public static long rreadv(final int socket, final ByteBuffer[] iov, final int iovcnt)
    {
        return DataCalls.recvv(socket, iov, iovcnt, 0);
    }

    // ---------------------------------------------------------------------------------------- poll

    /**
     * {@code rpoll} over rsockets and {@linkplain #rregister registered} JDK channels together, C's way: checks
     * without waiting, spins for {@code polling_time} µs, then sleeps until one of them is ready (an rsocket
     * wakes the call on a completion or a connection event, a channel through a selector). Reported whether asked
     * or not: {@code POLLERR} (a failed connection or connect), {@code POLLHUP} (disconnected), {@code POLLNVAL}
     * (not open). A listening rsocket is {@code POLLIN} with a connection to accept; a nonblocking connect becomes
     * {@code POLLOUT} (connected; {@code SO_ERROR} 0) or {@code POLLIN|POLLOUT|POLLERR} (failed; {@code SO_ERROR}
     * says why). A channel reports {@code POLLIN} for read or accept, {@code POLLOUT} for write or connect.
     * Allocation-free in steady state (reuse the array).
     *
     * @param fds     the descriptors (negative ones are skipped) and events; each revents is set.
     * @param nfds    how many of {@code fds}.
     * @param timeout milliseconds; 0 checks once, -1 (any negative) waits without limit.
     * @return descriptors with events, 0 when the time ran out, or -1: {@code EINTR} when the thread is interrupted
     *         (its interrupt status stays set), {@code EINVAL} for a bad {@code nfds}.
     */
    public static int rpoll(final PollFd[] fds, final int nfds, final int timeout)
    {
        return Poller.poll(fds, nfds, timeout);
    }

    /**
     * {@code rselect}, on top of {@link #rpoll} as C: a descriptor is readable on {@code POLLIN} or {@code POLLHUP},
     * writable on {@code POLLOUT}, exceptional on {@code POLLERR}, {@code POLLHUP} or {@code POLLNVAL}. On return the
     * sets hold the descriptors found, each only in sets it was in.
     *
     * @param nfds      one more than the highest descriptor to look at.
     * @param readfds   descriptors to wait for reading; may be {@code null}.
     * @param writefds  descriptors to wait for writing; may be {@code null}.
     * @param exceptfds descriptors to watch for errors; may be {@code null}.
     * @param timeout   how long to wait (rounded up to a millisecond), {@code null} for no limit.
     * @return how many set memberships were found, 0 when the time ran out, or -1: {@code EINVAL}, {@code EINTR}.
     */
    public static int rselect(final int nfds, final FdSet readfds, final FdSet writefds, final FdSet exceptfds,
        final Timeval timeout)
    {
        return Poller.select(nfds, readfds, writefds, exceptfds, timeout);
    }

    /**
     * {@code FD_SET}.
     *
     * @param fd  a descriptor.
     * @param set the set.
     */
    public static void FD_SET(final int fd, final FdSet set)
    {
        set.set(fd);
    }

    /**
     * {@code FD_CLR}.
     *
     * @param fd  a descriptor.
     * @param set the set.
     */
    public static void FD_CLR(final int fd, final FdSet set)
    {
        set.clear(fd);
    }

    /**
     * {@code FD_ISSET}.
     *
     * @param fd  a descriptor.
     * @param set the set.
     * @return whether {@code fd} is in it.
     */
    public static boolean FD_ISSET(final int fd, final FdSet set)
    {
        return set.isSet(fd);
    }

    /**
     * {@code FD_ZERO}.
     *
     * @param set the set.
     */
    public static void FD_ZERO(final FdSet set)
    {
        set.zero();
    }

    // ---------------------------------------------------------------------------------------- names, options

    /**
     * {@code rgetpeername}.
     *
     * @param socket  the descriptor.
     * @param address receives the peer's address.
     * @return 0, or -1: {@code ENOTCONN} before the peer is known (C returns zeros), {@code EFAULT}, {@code EBADF}.
     */
    public static int rgetpeername(final int socket, final SockAddr address)
    {
        return SocketCalls.peerName(socket, address);
    }

    /**
     * {@code rgetsockname}.
     *
     * @param socket  the descriptor.
     * @param address receives the local address; the wildcard address of the socket's family, port 0, when
     *                unbound.
     * @return 0, or -1: {@code EFAULT}, {@code EBADF}.
     */
    public static int rgetsockname(final int socket, final SockAddr address)
    {
        return SocketCalls.sockName(socket, address);
    }

    /**
     * {@code rsetsockopt} of an {@code int} option (flags: non-zero is on). The options and C's rules for them
     * are listed in {@link RsocketConstants}: SOL_RDMA options are refused with {@code EINVAL} once connecting;
     * buffer sizes are ignored then, as C.
     *
     * @param socket  the descriptor.
     * @param level   {@code SOL_SOCKET}, {@code IPPROTO_TCP}, {@code IPPROTO_IPV6} or {@code SOL_RDMA}.
     * @param optname the option.
     * @param optval  the value.
     * @return 0, or -1: {@code ENOTSUP} for an option rsocket does not have, {@code EINVAL} (a SOL_RDMA option
     *         once connecting, {@code IPV6_V6ONLY} once bound, {@code SO_LINGER} or {@code RDMA_ROUTE}, which
     *         are not ints), {@code EBADF}.
     */
    public static int rsetsockopt(final int socket, final int level, final int optname, final int optval)
    {
        final RsocketFd d = Descriptors.socket(socket);
        return null == d ? Errnos.fail(Errno.EBADF.code()) : OptionCalls.set(d, level, optname, optval);
    }

    /**
     * {@code rsetsockopt} with the value in an array: {@code optval[0]}, or for {@code SO_LINGER} C's
     * {@code struct linger} as {@code {l_onoff, l_linger}}.
     *
     * @param socket  the descriptor.
     * @param level   the level.
     * @param optname the option.
     * @param optval  the value.
     * @return 0, or -1 as {@link #rsetsockopt(int, int, int, int)}; {@code EINVAL} for a short array.
     */
    public static int rsetsockopt(final int socket, final int level, final int optname, final int[] optval)
    {
        final RsocketFd d = Descriptors.socket(socket);
        return null == d ? Errnos.fail(Errno.EBADF.code()) : OptionCalls.set(d, level, optname, optval);
    }

    /**
     * {@code rsetsockopt} exactly as C: {@code optlen} bytes at {@code optval}, native order ({@code int}, or
     * {@code struct linger}, or {@code struct ibv_path_data} records for {@code RDMA_ROUTE}).
     *
     * @param socket  the descriptor.
     * @param level   the level.
     * @param optname the option.
     * @param optval  the value's bytes.
     * @param optlen  how many.
     * @return 0, or -1 as {@link #rsetsockopt(int, int, int, int)}; {@code EINVAL} when too short.
     */
    public static int rsetsockopt(final int socket, final int level, final int optname, final MemorySegment optval,
        final int optlen)
    {
        final RsocketFd d = Descriptors.socket(socket);
        return null == d ? Errnos.fail(Errno.EBADF.code()) : OptionCalls.set(d, level, optname, optval, optlen);
    }

    /**
     * {@code rgetsockopt} into an array: {@code optval[0]}, or for {@code SO_LINGER} {@code {l_onoff, l_linger}}.
     * {@code SO_ERROR} returns and clears the pending error. Buffer sizes read back doubled, as C.
     *
     * @param socket  the descriptor.
     * @param level   the level.
     * @param optname the option.
     * @param optval  receives the value.
     * @return 0, or -1: {@code ENOTSUP}, {@code EINVAL} for a short array (or {@code RDMA_ROUTE}), {@code EBADF}.
     */
    public static int rgetsockopt(final int socket, final int level, final int optname, final int[] optval)
    {
        final RsocketFd d = Descriptors.socket(socket);
        return null == d ? Errnos.fail(Errno.EBADF.code()) : OptionCalls.get(d, level, optname, optval);
    }

    /**
     * {@code rgetsockopt} exactly as C: at most {@code optlen[0]} bytes into {@code optval}, and {@code optlen[0]}
     * set to the length of the value.
     *
     * @param socket  the descriptor.
     * @param level   the level.
     * @param optname the option.
     * @param optval  receives the value's bytes, native order.
     * @param optlen  in: room in {@code optval}; out: the value's length.
     * @return 0, or -1 as {@link #rgetsockopt(int, int, int, int[])}; {@code EINVAL} when the room is too small.
     */
    public static int rgetsockopt(final int socket, final int level, final int optname, final MemorySegment optval,
        final int[] optlen)
    {
        final RsocketFd d = Descriptors.socket(socket);
        return null == d ? Errnos.fail(Errno.EBADF.code()) : OptionCalls.get(d, level, optname, optval, optlen);
    }

    /**
     * {@code rfcntl} without an argument: {@code F_GETFL} ({@code O_NONBLOCK} and whatever else was set, as C
     * keeps it) or {@code F_GETFD} ({@code FD_CLOEXEC}).
     *
     * @param socket the descriptor.
     * @param cmd    the command.
     * @return the flags, or -1: {@code ENOTSUP} for another command, {@code EBADF}.
     */
    public static int rfcntl(final int socket, final int cmd)
    {
        return SocketCalls.fcntl(socket, cmd, 0);
    }

    /**
     * {@code rfcntl} with an argument: {@code F_SETFL} ({@code O_NONBLOCK} makes every call on the descriptor
     * non-blocking) or {@code F_SETFD}; the getters ignore the argument.
     *
     * @param socket the descriptor.
     * @param cmd    the command.
     * @param arg    the flags.
     * @return 0 (or the flags for a getter), or -1: {@code ENOTSUP}, {@code EBADF}.
     */
    public static int rfcntl(final int socket, final int cmd, final int arg)
    {
        return SocketCalls.fcntl(socket, cmd, arg);
    }
}
