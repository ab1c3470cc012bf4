package io.rdmasockets.verbs;

/** Memory-region access flags, numbered as {@code enum ibv_access_flags}. */
public final class Access
{
    /** The device may write the region locally (receives, read responses). */
    public static final int LOCAL_WRITE = 1;
    /** Peers may RDMA-write the region. Requires {@link #LOCAL_WRITE}. */
    public static final int REMOTE_WRITE = 1 << 1;
    /** Peers may RDMA-read the region. */
    public static final int REMOTE_READ = 1 << 2;
    /** Peers may perform atomics on the region. Requires {@link #LOCAL_WRITE}. */
    public static final int REMOTE_ATOMIC = 1 << 3;

    private static final int KNOWN = LOCAL_WRITE | REMOTE_WRITE | REMOTE_READ | REMOTE_ATOMIC;

    private Access()
    {
    }

    /**
     * @param access an OR of flags.
     * @return true when only known flags are set and remote write/atomic come with local write.
     */
    public static boolean isValid(final int access)
    {
        if (0 != (access & ~KNOWN))
        {
            return false;
        }
        return 0 == (access & (REMOTE_WRITE | REMOTE_ATOMIC)) || 0 != (access & LOCAL_WRITE);
    }

    /**
     * @param access an OR of flags.
     * @return e.g. {@code "LOCAL_WRITE|REMOTE_WRITE"}, or {@code "0"}.
     */
    public static String toString(final int access)
    {
        final StringBuilder sb = new StringBuilder();
        append(sb, access, LOCAL_WRITE, "LOCAL_WRITE");
        append(sb, access, REMOTE_WRITE, "REMOTE_WRITE");
        append(sb, access, REMOTE_READ, "REMOTE_READ");
        append(sb, access, REMOTE_ATOMIC, "REMOTE_ATOMIC");
        final int unknown = access & ~KNOWN;
        if (0 != unknown)
        {
            sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(unknown));
        }
        return sb.isEmpty() ? "0" : sb.toString();
    }

    private static void append(final StringBuilder sb, final int access, final int flag, final String name)
    {
        if (0 != (access & flag))
        {
            sb.append(sb.isEmpty() ? "" : "|").append(name);
        }
    }
}
