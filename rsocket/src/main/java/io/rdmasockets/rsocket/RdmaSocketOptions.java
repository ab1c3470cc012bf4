package io.rdmasockets.rsocket;

import java.net.SocketOption;

/**
 * The {@code SOL_RDMA} options of rsocket(7) (wire-protocol doc section 6.2). Like every buffer size they
 * may be set on an unconnected or listening socket only; once connecting they are refused with
 * {@code EINVAL}, as C refuses them from {@code rs_opening}. A listening socket passes them to the sockets it
 * accepts.
 */
public final class RdmaSocketOptions
{
    /** {@code RDMA_SQSIZE}: send queue work requests (at most 65534; the device may grant fewer). */
    public static final SocketOption<Integer> RDMA_SQSIZE = new RdmaOption("RDMA_SQSIZE");
    /** {@code RDMA_RQSIZE}: receive queue work requests, the credits advertised to the peer (at most 65534). */
    public static final SocketOption<Integer> RDMA_RQSIZE = new RdmaOption("RDMA_RQSIZE");
    /** {@code RDMA_INLINE}: bytes sent inline in a work request (at most 65534; the device may grant fewer). */
    public static final SocketOption<Integer> RDMA_INLINE = new RdmaOption("RDMA_INLINE");
    /** {@code RDMA_IOMAPSIZE}: iomap entries the peer may publish, rounded as the wire's 8-bit scale allows. */
    public static final SocketOption<Integer> RDMA_IOMAPSIZE = new RdmaOption("RDMA_IOMAPSIZE");

    private RdmaSocketOptions()
    {
    }

    /** An integer option; identity is the constant. */
    private record RdmaOption(String name) implements SocketOption<Integer>
    {
        @Override
        public Class<Integer> type()
        {
            return Integer.class;
        }

        @Override
        public String toString()
        {
            return name;
        }
    }
}
