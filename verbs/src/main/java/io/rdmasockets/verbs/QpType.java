package io.rdmasockets.verbs;

/** {@code enum ibv_qp_type} (the subset this library uses), with the verbs numbering. */
public enum QpType
{
    /** Reliable connected: what stream rsockets use. */
    RC(2),
    /** Unreliable connected. */
    UC(3),
    /** Unreliable datagram: what datagram rsockets use (a later milestone). */
    UD(4);

    private final int code;

    QpType(final int code)
    {
        this.code = code;
    }

    /** @return the verbs number. */
    public int code()
    {
        return code;
    }
}
