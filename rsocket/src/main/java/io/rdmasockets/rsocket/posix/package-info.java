/**
 * The C-style rsocket(7) API, call for call, for programs ported from C: {@link io.rdmasockets.rsocket.posix.Rsockets}
 * holds the calls ({@code rsocket}, {@code rconnect}, {@code rsend}, {@code rpoll}, ...) and
 * {@link io.rdmasockets.rsocket.posix.RsocketConstants} C's constants with Linux's values.
 *
 * <h2>C's types in Java</h2>
 * <ul>
 * <li>Descriptors are {@code int}s from a process-wide table, the lowest free first, from 3 (0 to 2 are a C
 *     process's standard streams); a closed one is reused. Results are C's: -1 on failure with the thread's
 *     {@code errno()}, which a successful call leaves alone.</li>
 * <li>{@code struct sockaddr *} in: a numeric {@link java.net.InetSocketAddress}; out:
 *     a {@link io.rdmasockets.rsocket.posix.SockAddr} the call fills in. On {@code AF_INET6} an IPv4 address is taken
 *     as IPv4-mapped and an IPv4-mapped one ({@code ::ffff:a.b.c.d}) is used as IPv4, as the kernel does.</li>
 * <li>{@code void *buf, size_t len}: a {@link java.lang.foreign.MemorySegment} and a length (heap or native); also
 *     {@code byte[]} with offset and length, and {@link java.nio.ByteBuffer}s, whose positions move as NIO's do.
 *     Native segments, reused arrays and reused direct buffers cost no allocation per call.</li>
 * <li>{@code struct iovec[]}: {@code MemorySegment[]} (or {@code ByteBuffer[]}); {@code struct msghdr}:
 *     {@link io.rdmasockets.rsocket.posix.MsgHdr}; {@code struct pollfd}: {@link io.rdmasockets.rsocket.posix.PollFd};
 *     {@code fd_set}: {@link io.rdmasockets.rsocket.posix.FdSet}; {@code struct timeval}:
 *     {@link io.rdmasockets.rsocket.posix.Timeval}; {@code void *optval}: an {@code int}, an {@code int[]}
 *     ({@code struct linger} as two ints) or a segment with a length.</li>
 * <li>"Normal" descriptors for {@code rpoll}/{@code rselect}: a JDK {@link java.nio.channels.SelectableChannel}
 *     given a descriptor by {@link io.rdmasockets.rsocket.posix.Rsockets#rregister}; one call then waits for
 *     rsockets and channels together.</li>
 * </ul>
 *
 * <h2>Where this differs from C librdmacm</h2>
 * Behaviour, errno values and option rules follow C's {@code rsocket.c} (wire-protocol doc sections 4 and 6),
 * also where Linux differs: {@code raccept} on a socket that is not listening says {@code EBADF}; {@code rconnect}
 * says {@code EINPROGRESS} while a connect is under way and returns 0 once connected; {@code rshutdown} of a
 * socket never connected returns 0; buffer sizes set once connecting are ignored. The exceptions, each a bug or a
 * gap in C or something the JVM cannot do:
 * <ul>
 * <li>{@code rreadv} and {@code rrecvmsg} fill every segment (C fills the first only), and {@code rrecvmsg} takes
 *     its {@code flags} argument (C reads {@code msg_flags}).</li>
 * <li>{@code rselect} reports a descriptor only in the sets it was in, sees descriptor 0, and rounds a timeout up
 *     to whole milliseconds instead of down.</li>
 * <li>{@code rclose} of an unknown descriptor returns -1 with {@code EBADF} (C returns a positive EBADF);
 *     {@code rgetpeername} before the peer is known says {@code ENOTCONN} (C returns zeros); {@code rshutdown}
 *     with an unknown {@code how} says {@code EINVAL}; bad lengths and buffers give {@code EINVAL}/{@code EFAULT}.</li>
 * <li>Not built: {@code SOCK_DGRAM} and {@code AF_IB} ({@code ENOTSUP}); {@code IP_TOS} and {@code TCP_INFO}
 *     ({@code ENOTSUP}: the verbs SPI cannot set a type of service). {@code RDMA_ROUTE} is stored and
 *     read back but, as the SPI cannot take path records, the route is still resolved.</li>
 * <li>{@code riomap}, {@code riounmap} and {@code riowrite} are in {@link io.rdmasockets.rsocket.posix.Riomaps}:
 *     a riowrite outside the peer's mappings fails with {@code EFAULT} (C returns a short count), riounmap tells
 *     the peer, iomap updates cost no credit.</li>
 * <li>{@code rpoll} is interrupted by {@link java.lang.Thread#interrupt()} ({@code EINTR}), not by signals. A JDK
 *     channel cannot report {@code POLLHUP} or {@code POLLERR} (a selector shows them as readiness).</li>
 * </ul>
 */
package io.rdmasockets.rsocket.posix;
