package io.rdmasockets.verbs.cm;

/** {@code enum rdma_port_space}: the service namespace a port number lives in. */
public enum PortSpace
{
    /** {@code RDMA_PS_IPOIB}. */
    IPOIB(0x0002),
    /** {@code RDMA_PS_TCP}: reliable connected; stream rsockets listen here. */
    TCP(0x0106),
    /** {@code RDMA_PS_UDP}: unreliable datagram. */
    UDP(0x0111),
    /** {@code RDMA_PS_IB}: any QP type. */
    IB(0x013F);

    private final int code;

    PortSpace(final int code)
    {
        this.code = code;
    }

    /** @return the librdmacm number. */
    public int code()
    {
        return code;
    }
}
