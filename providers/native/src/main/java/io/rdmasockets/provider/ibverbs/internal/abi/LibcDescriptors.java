package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * The glibc structs the provider's waiting and addressing use: {@code epoll_event} (packed on x86-64,
 * naturally aligned elsewhere), {@code pollfd}, {@code sockaddr_in} and {@code sockaddr_in6}. Numbers are
 * network order where the C type says so ({@code sin_port}, addresses).
 *
 * <pre>
 * epoll_event (x86-64: 12, packed; aarch64: 16):  0 events (u32)   4 or 8 data (u64)
 * pollfd (8):        0 fd (int)   4 events (short)   6 revents (short)
 * sockaddr_in (16):  0 sin_family (u16)   2 sin_port (__be16)   4 sin_addr (struct in_addr, 4)   8 sin_zero (8)
 * sockaddr_in6 (28): 0 sin6_family   2 sin6_port   4 sin6_flowinfo (u32)   8 sin6_addr (16)   24 sin6_scope_id
 * </pre>
 */
public final class LibcDescriptors
{
    private static final boolean PACKED_EPOLL = "amd64".equals(System.getProperty("os.arch")) ||
        "x86_64".equals(System.getProperty("os.arch"));

    /** {@code struct epoll_event}. */
    public static final StructLayout EPOLL_EVENT = PACKED_EPOLL
        ? MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withByteAlignment(1).withName("events"),
            ValueLayout.JAVA_LONG.withByteAlignment(1).withName("data")).withName("epoll_event")
        : MemoryLayout.structLayout(
            U32.withName("events"),
            MemoryLayout.paddingLayout(4),
            U64.withName("data")).withName("epoll_event");
    public static final long EPOLL_EVENTS = offset(EPOLL_EVENT, "events");
    public static final long EPOLL_DATA = offset(EPOLL_EVENT, "data");

    /** {@code struct pollfd}. */
    public static final StructLayout POLLFD = MemoryLayout.structLayout(
        INT.withName("fd"),
        U16.withName("events"),
        U16.withName("revents")).withName("pollfd");
    public static final long POLLFD_FD = offset(POLLFD, "fd");
    public static final long POLLFD_EVENTS = offset(POLLFD, "events");
    public static final long POLLFD_REVENTS = offset(POLLFD, "revents");

    /** {@code struct sockaddr_in}. */
    public static final StructLayout SOCKADDR_IN = MemoryLayout.structLayout(
        U16.withName("sin_family"),
        U16.withName("sin_port"),
        U32.withName("sin_addr"),
        opaque("sin_zero", 8)).withName("sockaddr_in");
    public static final long SIN_FAMILY = offset(SOCKADDR_IN, "sin_family");
    public static final long SIN_PORT = offset(SOCKADDR_IN, "sin_port");
    public static final long SIN_ADDR = offset(SOCKADDR_IN, "sin_addr");

    /** {@code struct sockaddr_in6}. */
    public static final StructLayout SOCKADDR_IN6 = MemoryLayout.structLayout(
        U16.withName("sin6_family"),
        U16.withName("sin6_port"),
        U32.withName("sin6_flowinfo"),
        opaque("sin6_addr", 16),
        U32.withName("sin6_scope_id")).withName("sockaddr_in6");
    public static final long SIN6_PORT = offset(SOCKADDR_IN6, "sin6_port");
    public static final long SIN6_ADDR = offset(SOCKADDR_IN6, "sin6_addr");
    public static final long SIN6_SCOPE_ID = offset(SOCKADDR_IN6, "sin6_scope_id");

    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;

    private LibcDescriptors()
    {
    }
}
