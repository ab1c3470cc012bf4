package io.rdmasockets.rsocket.posix;

import io.rdmasockets.rsocket.engine.RsocketOptions;
import io.rdmasockets.rsocket.engine.StreamRsocket;

/**
 * The constants of {@code <sys/socket.h>}, {@code <netinet/in.h>}, {@code <netinet/tcp.h>}, {@code <poll.h>},
 * {@code <fcntl.h>} and {@code <rdma/rsocket.h>} that the {@link Rsockets} calls take, with Linux's values, so
 * that ported code reads as before: {@code import static io.rdmasockets.rsocket.posix.RsocketConstants.*;}.
 */
public final class RsocketConstants
{
    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code AF_IB}: refused by {@link Rsockets#rsocket} ({@code ENOTSUP}); the verbs SPI addresses by IP. */
    public static final int AF_IB = 27;
    /** {@code PF_INET}. */
    public static final int PF_INET = AF_INET;
    /** {@code PF_INET6}. */
    public static final int PF_INET6 = AF_INET6;

    /** {@code SOCK_STREAM}. */
    public static final int SOCK_STREAM = 1;
    /** {@code SOCK_DGRAM}: refused by {@link Rsockets#rsocket} ({@code ENOTSUP}); datagram rsockets are not built. */
    public static final int SOCK_DGRAM = 2;
    /** {@code SOCK_NONBLOCK}, or-ed into the type: the socket starts with {@link #O_NONBLOCK}. */
    public static final int SOCK_NONBLOCK = 0x800;
    /** {@code SOCK_CLOEXEC}, or-ed into the type: the descriptor starts with {@link #FD_CLOEXEC} (a flag only). */
    public static final int SOCK_CLOEXEC = 0x80000;

    /** {@code IPPROTO_IP}. */
    public static final int IPPROTO_IP = RsocketOptions.IPPROTO_IP;
    /** {@code IPPROTO_TCP}. */
    public static final int IPPROTO_TCP = RsocketOptions.IPPROTO_TCP;
    /** {@code IPPROTO_UDP}. */
    public static final int IPPROTO_UDP = 17;
    /** {@code IPPROTO_IPV6}. */
    public static final int IPPROTO_IPV6 = RsocketOptions.IPPROTO_IPV6;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = RsocketOptions.SOL_SOCKET;
    /** {@code SOL_RDMA}. */
    public static final int SOL_RDMA = RsocketOptions.SOL_RDMA;

    /** {@code SO_REUSEADDR}. */
    public static final int SO_REUSEADDR = RsocketOptions.SO_REUSEADDR;
    /** {@code SO_ERROR}: read-only; returns and clears the pending error (a nonblocking connect's outcome). */
    public static final int SO_ERROR = RsocketOptions.SO_ERROR;
    /** {@code SO_BROADCAST}: reads 0. */
    public static final int SO_BROADCAST = RsocketOptions.SO_BROADCAST;
    /** {@code SO_SNDBUF}: the send ring is twice the value; ignored once connecting, as C. */
    public static final int SO_SNDBUF = RsocketOptions.SO_SNDBUF;
    /** {@code SO_RCVBUF}: the receive ring is twice the value; ignored once connecting, as C. */
    public static final int SO_RCVBUF = RsocketOptions.SO_RCVBUF;
    /** {@code SO_KEEPALIVE}: probes an idle connection with a 0-byte RDMA write, as C. */
    public static final int SO_KEEPALIVE = RsocketOptions.SO_KEEPALIVE;
    /** {@code SO_OOBINLINE}: a flag only. */
    public static final int SO_OOBINLINE = RsocketOptions.SO_OOBINLINE;
    /** {@code SO_LINGER}: {@code struct linger}, a flag only; reads as on ({@code l_linger} 0) until switched off. */
    public static final int SO_LINGER = RsocketOptions.SO_LINGER;
    /** {@code TCP_NODELAY}: a flag only; rsocket never delays a send. */
    public static final int TCP_NODELAY = RsocketOptions.TCP_NODELAY;
    /** {@code TCP_MAXSEG}: reads the port's active MTU once connected, 2048 before; setting it is ignored. */
    public static final int TCP_MAXSEG = RsocketOptions.TCP_MAXSEG;
    /** {@code TCP_KEEPIDLE}: seconds of silence before a keepalive probe. */
    public static final int TCP_KEEPIDLE = RsocketOptions.TCP_KEEPIDLE;
    /** {@code TCP_KEEPINTVL}: accepted and ignored; reads 1. */
    public static final int TCP_KEEPINTVL = RsocketOptions.TCP_KEEPINTVL;
    /** {@code TCP_KEEPCNT}: accepted and ignored; reads 1. */
    public static final int TCP_KEEPCNT = RsocketOptions.TCP_KEEPCNT;
    /** {@code IPV6_V6ONLY}: before binding or connecting; IPv4 (and IPv4-mapped) addresses are refused then. */
    public static final int IPV6_V6ONLY = RsocketOptions.IPV6_V6ONLY;
    /** {@code RDMA_SQSIZE}: send queue size; refused ({@code EINVAL}) once connecting. */
    public static final int RDMA_SQSIZE = RsocketOptions.RDMA_SQSIZE;
    /** {@code RDMA_RQSIZE}: receive queue size, the credits granted; refused once connecting. */
    public static final int RDMA_RQSIZE = RsocketOptions.RDMA_RQSIZE;
    /** {@code RDMA_INLINE}: inline bytes asked for; refused once connecting. */
    public static final int RDMA_INLINE = RsocketOptions.RDMA_INLINE;
    /** {@code RDMA_IOMAPSIZE}: iomap entries the peer may publish; refused once connecting. */
    public static final int RDMA_IOMAPSIZE = RsocketOptions.RDMA_IOMAPSIZE;
    /** {@code RDMA_ROUTE}: {@code struct ibv_path_data} records; refused once connecting. */
    public static final int RDMA_ROUTE = RsocketOptions.RDMA_ROUTE;

    /** {@code MSG_OOB}: accepted and ignored, as C. */
    public static final int MSG_OOB = 0x1;
    /** {@code MSG_PEEK}: receive without consuming. */
    public static final int MSG_PEEK = 0x2;
    /** {@code MSG_DONTWAIT}: this call does not wait ({@code EAGAIN} instead). */
    public static final int MSG_DONTWAIT = 0x40;
    /** {@code MSG_WAITALL}: a receive waits for the whole length (or the end of the stream). */
    public static final int MSG_WAITALL = 0x100;
    /** {@code MSG_NOSIGNAL}: accepted and ignored; Java has no SIGPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;

    /** {@code F_GETFD}. */
    public static final int F_GETFD = 1;
    /** {@code F_SETFD}. */
    public static final int F_SETFD = 2;
    /** {@code F_GETFL}. */
    public static final int F_GETFL = 3;
    /** {@code F_SETFL}. */
    public static final int F_SETFL = 4;
    /** {@code FD_CLOEXEC}: kept and reported only; a JVM does not exec. */
    public static final int FD_CLOEXEC = 1;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;

    /** {@code POLLIN}: data, the end of the stream, or a connection to accept. */
    public static final int POLLIN = StreamRsocket.POLLIN;
    /** {@code POLLPRI}: never reported (no urgent data). */
    public static final int POLLPRI = 0x2;
    /** {@code POLLOUT}: room to send, or a nonblocking connect that finished. */
    public static final int POLLOUT = StreamRsocket.POLLOUT;
    /** {@code POLLERR}: reported whether asked for or not. */
    public static final int POLLERR = StreamRsocket.POLLERR;
    /** {@code POLLHUP}: reported whether asked for or not. */
    public static final int POLLHUP = StreamRsocket.POLLHUP;
    /** {@code POLLNVAL}: the descriptor is not open. */
    public static final int POLLNVAL = StreamRsocket.POLLNVAL;

    /** {@code SHUT_RD}. */
    public static final int SHUT_RD = StreamRsocket.SHUT_RD;
    /** {@code SHUT_WR}. */
    public static final int SHUT_WR = StreamRsocket.SHUT_WR;
    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = StreamRsocket.SHUT_RDWR;

    /** {@code FD_SETSIZE}: the size an {@link FdSet} starts with; it grows past it. */
    public static final int FD_SETSIZE = 1024;

    private RsocketConstants()
    {
    }
}
