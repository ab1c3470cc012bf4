package io.rdmasockets.verbs;

/** {@code enum ibv_qp_state}, with the verbs numbering (the ordinal). */
public enum QpState
{
    RESET, INIT, RTR, RTS, SQD, SQE,
    /** Error: outstanding and newly posted work completes with {@link WcStatus#WR_FLUSH_ERR}. */
    ERR;

    /** @return the verbs number. */
    public int code()
    {
        return ordinal();
    }
}
