package io.rdmasockets.verbs;

/**
 * The subset of {@code struct ibv_port_attr} that rsocket and the tools use.
 *
 * @param state        {@code state}.
 * @param maxMtu       {@code max_mtu} in bytes (256..4096).
 * @param activeMtu    {@code active_mtu} in bytes; rsocket reports {@code TCP_MAXSEG} from it.
 * @param linkLayer    {@code link_layer}.
 * @param gidTableLength {@code gid_tbl_len}.
 * @param lid          {@code lid}; 0 on RoCE and the software providers.
 * @param activeSpeed  a human-readable rate, e.g. {@code "100 Gb/sec"}, or {@code "software"}.
 */
public record PortAttributes(
    PortState state,
    int maxMtu,
    int activeMtu,
    LinkLayer linkLayer,
    int gidTableLength,
    int lid,
    String activeSpeed)
{
    /** {@code enum ibv_port_state}, with the verbs numbering. */
    public enum PortState
    {
        NOP(0), DOWN(1), INIT(2), ARMED(3), ACTIVE(4), ACTIVE_DEFER(5);

        private final int code;

        PortState(final int code)
        {
            this.code = code;
        }

        /** @return the verbs number. */
        public int code()
        {
            return code;
        }

        /**
         * @param code a verbs number.
         * @return the state; {@link #NOP} for an unknown number.
         */
        public static PortState of(final int code)
        {
            for (final PortState s : values())
            {
                if (s.code == code)
                {
                    return s;
                }
            }
            return NOP;
        }
    }

    /** {@code IBV_LINK_LAYER_*}. */
    public enum LinkLayer
    {
        UNSPECIFIED, INFINIBAND, ETHERNET
    }

    /**
     * @param mtuEnum an {@code enum ibv_mtu} value (1 = 256 .. 5 = 4096).
     * @return the MTU in bytes, or 0 for an unknown value.
     */
    public static int mtuBytes(final int mtuEnum)
    {
        return mtuEnum >= 1 && mtuEnum <= 5 ? 128 << mtuEnum : 0;
    }
}
