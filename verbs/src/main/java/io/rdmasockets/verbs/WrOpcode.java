package io.rdmasockets.verbs;

/** Send work-request opcodes, numbered as {@code enum ibv_wr_opcode}. */
public final class WrOpcode
{
    /** Write local memory into the peer's registered memory; no receive is consumed. */
    public static final int RDMA_WRITE = 0;
    /** An RDMA write that also consumes a receive at the peer and delivers a 32-bit immediate. */
    public static final int RDMA_WRITE_WITH_IMM = 1;
    /** Deliver local memory into the buffers of the peer's next posted receive. */
    public static final int SEND = 2;
    /** A send that also delivers a 32-bit immediate. */
    public static final int SEND_WITH_IMM = 3;
    /** Read the peer's registered memory into local memory. */
    public static final int RDMA_READ = 4;

    private WrOpcode()
    {
    }

    /**
     * @param opcode an opcode number.
     * @return its name, e.g. {@code "RDMA_WRITE_WITH_IMM"}.
     */
    public static String toString(final int opcode)
    {
        return switch (opcode)
        {
            case RDMA_WRITE -> "RDMA_WRITE";
            case RDMA_WRITE_WITH_IMM -> "RDMA_WRITE_WITH_IMM";
            case SEND -> "SEND";
            case SEND_WITH_IMM -> "SEND_WITH_IMM";
            case RDMA_READ -> "RDMA_READ";
            default -> "opcode " + opcode;
        };
    }
}
