package io.rdmasockets.verbs;

/** {@code enum ibv_wc_opcode}, with the verbs numbering. */
public enum WcOpcode
{
    SEND(0), RDMA_WRITE(1), RDMA_READ(2), COMP_SWAP(3), FETCH_ADD(4), BIND_MW(5), LOCAL_INV(6), TSO(7),
    /** A receive consumed by a SEND or SEND_WITH_IMM. */
    RECV(128),
    /** A receive consumed by an RDMA_WRITE_WITH_IMM. */
    RECV_RDMA_WITH_IMM(129),
    /** Not a verbs value: a number this enum does not know. */
    UNKNOWN(-1);

    private final int code;

    WcOpcode(final int code)
    {
        this.code = code;
    }

    /** @return the verbs number. */
    public int code()
    {
        return code;
    }

    /**
     * @param code a verbs opcode number.
     * @return the opcode, or {@link #UNKNOWN}.
     */
    public static WcOpcode of(final int code)
    {
        return switch (code)
        {
            case 0 -> SEND;
            case 1 -> RDMA_WRITE;
            case 2 -> RDMA_READ;
            case 3 -> COMP_SWAP;
            case 4 -> FETCH_ADD;
            case 5 -> BIND_MW;
            case 6 -> LOCAL_INV;
            case 7 -> TSO;
            case 128 -> RECV;
            case 129 -> RECV_RDMA_WITH_IMM;
            default -> UNKNOWN;
        };
    }
}
