package io.rdmasockets.rsocket;

import java.net.SocketOption;

/**
 * The {@code SOL_RDMA} options of rsocket(7) (wire-protocol doc section 6.2), and the socket options of rsocket
 * that {@link java.net.StandardSocketOptions} lacks. Like every buffer size the SOL_RDMA ones may be set on an
 * unconnected or listening socket only; once connecting they are refused with {@code EINVAL}, as C refuses them
 * from {@code rs_opening}. A listening socket passes the sizes to the sockets it accepts.
 */
public final class RdmaSocketOptions
{
    /** {@code RDMA_SQSIZE}: send queue work requests (at most 65534; the device may grant fewer). */
    public static final SocketOption<Integer> RDMA_SQSIZE = new RdmaOption<>("RDMA_SQSIZE", Integer.class);
    /** {@code RDMA_RQSIZE}: receive queue work requests, the credits advertised to the peer (at most 65534). */
    public static final SocketOption<Integer> RDMA_RQSIZE = new RdmaOption<>("RDMA_RQSIZE", Integer.class);
    /** {@code RDMA_INLINE}: bytes sent inline in a work request (at most 65534; the device may grant fewer). */
    public static final SocketOption<Integer> RDMA_INLINE = new RdmaOption<>("RDMA_INLINE", Integer.class);
    /** {@code RDMA_IOMAPSIZE}: iomap entries the peer may publish, rounded as the wire's 8-bit scale allows. */
    public static final SocketOption<Integer> RDMA_IOMAPSIZE = new RdmaOption<>("RDMA_IOMAPSIZE", Integer.class);

    /**
     * {@code RDMA_ROUTE}: {@code struct ibv_path_data} records (72 bytes each) to connect over instead of resolving
     * a route; refused once connecting, as C. Stored and read back until the connect starts; the verbs SPI cannot
     * hand them to the connection manager yet, so the route is still resolved. Values are copied.
     */
    public static final SocketOption<byte[]> RDMA_ROUTE = new RdmaOption<>("RDMA_ROUTE", byte[].class);

    /** {@code SO_OOBINLINE}: a flag only, as in C; rsocket has no urgent data. */
    public static final SocketOption<Boolean> SO_OOBINLINE = new RdmaOption<>("SO_OOBINLINE", Boolean.class);
    /**
     * {@code TCP_MAXSEG}: reads the device port's active MTU once connected (C: the path MTU), 2048 before;
     * setting it is accepted and ignored, as C.
     */
    public static final SocketOption<Integer> TCP_MAXSEG = new RdmaOption<>("TCP_MAXSEG", Integer.class);
    /**
     * {@code IPV6_V6ONLY}: set before binding or connecting; then IPv4 (and IPv4-mapped) addresses are refused:
     * bind with {@code EINVAL}, connect with {@code ENETUNREACH}, and a listener refuses IPv4 peers.
     */
    public static final SocketOption<Boolean> IPV6_V6ONLY = new RdmaOption<>("IPV6_V6ONLY", Boolean.class);

    private RdmaSocketOptions()
    {
    }

    /** An option; identity is the constant. */
    private record RdmaOption<T>(String name, Class<T> type) implements SocketOption<T>
    {
        @Override
        public String toString()
        {
            return name;
        }
    }
}
