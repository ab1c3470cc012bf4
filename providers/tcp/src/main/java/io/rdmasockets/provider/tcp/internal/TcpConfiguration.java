package io.rdmasockets.provider.tcp.internal;

/**
 * System properties of the tcp provider, as {@code *_PROP_NAME}/{@code *_DEFAULT} pairs. Read when used,
 * so tests can change them between connections.
 */
public final class TcpConfiguration
{
    /** Set to true to make the provider unavailable. */
    public static final String DISABLED_PROP_NAME = "rdmasockets.tcp.disabled";
    /** Number of reactor (selector) threads. */
    public static final String REACTOR_COUNT_PROP_NAME = "rdmasockets.tcp.reactors";
    /** Default reactor count. */
    public static final int REACTOR_COUNT_DEFAULT = 1;
    /** How long an accepted TCP connection may take to send a valid connect request. */
    public static final String HANDSHAKE_TIMEOUT_PROP_NAME = "rdmasockets.tcp.handshakeTimeoutMs";
    /** Default handshake timeout. */
    public static final long HANDSHAKE_TIMEOUT_MS_DEFAULT = 5_000;
    /**
     * On a port shared with plain TCP clients ({@code CmId.shareTcpPort}), how long an accepted connection
     * may stay silent before it counts as a plain client (one whose server speaks first).
     */
    public static final String SNIFF_TIMEOUT_PROP_NAME = "rdmasockets.tcp.sniffTimeoutMs";
    /** Default sniff timeout: well above the delay between an rsocket's TCP connect and its REQ. */
    public static final long SNIFF_TIMEOUT_MS_DEFAULT = 500;
    /** How long connect may take until the peer's reply (REP or REJ) arrives. */
    public static final String CONNECT_TIMEOUT_PROP_NAME = "rdmasockets.tcp.connectTimeoutMs";
    /** Default connect timeout. */
    public static final long CONNECT_TIMEOUT_MS_DEFAULT = 10_000;
    /** Seconds of silence before TCP keepalive probes start (TCP_KEEPIDLE). */
    public static final String KEEPALIVE_IDLE_PROP_NAME = "rdmasockets.tcp.keepaliveIdleSec";
    /** Default keepalive idle time. */
    public static final int KEEPALIVE_IDLE_SEC_DEFAULT = 3;
    /** Seconds between keepalive probes (TCP_KEEPINTERVAL). */
    public static final String KEEPALIVE_INTERVAL_PROP_NAME = "rdmasockets.tcp.keepaliveIntervalSec";
    /** Default keepalive interval. */
    public static final int KEEPALIVE_INTERVAL_SEC_DEFAULT = 1;
    /** Unanswered probes before the connection is dropped (TCP_KEEPCOUNT). */
    public static final String KEEPALIVE_COUNT_PROP_NAME = "rdmasockets.tcp.keepaliveCount";
    /** Default keepalive probe count. */
    public static final int KEEPALIVE_COUNT_DEFAULT = 3;
    /** Bytes of each connection's inbound and outbound staging buffer. */
    public static final String BUFFER_LENGTH_PROP_NAME = "rdmasockets.tcp.bufferLength";
    /** Default staging buffer length. */
    public static final int BUFFER_LENGTH_DEFAULT = 256 * 1024;
    /** Set to false to keep polling threads from reading sockets (every message then goes through a reactor). */
    public static final String POLL_PROGRESS_PROP_NAME = "rdmasockets.tcp.pollProgress";
    /**
     * Set to false to make a thread blocked on a completion channel park until the reactor delivers, instead
     * of waiting on the sockets of the connections feeding it and reading them itself ({@code DirectWait}).
     */
    public static final String DIRECT_WAIT_PROP_NAME = "rdmasockets.tcp.directWait";
    /** Microseconds after its last poll that a busy-polling thread keeps reading a socket for the reactor. */
    public static final String POLLER_GRACE_PROP_NAME = "rdmasockets.tcp.pollerGraceUs";
    /** Default poller grace. */
    public static final long POLLER_GRACE_US_DEFAULT = 2_000;
    /**
     * Bytes of posted requests a busy-polling thread's posts may accumulate before they are written
     * (otherwise its next poll writes them, in one system call); 0 writes every request at once.
     */
    public static final String COALESCE_BYTES_PROP_NAME = "rdmasockets.tcp.coalesceBytes";
    /** Default coalescing limit. */
    public static final int COALESCE_BYTES_DEFAULT = 64 * 1024;
    /**
     * Microseconds a busy poller lets an ACK wait for a frame to carry it before writing it alone (the
     * reactor, which reads when nobody polls, acknowledges at once).
     */
    public static final String ACK_DELAY_PROP_NAME = "rdmasockets.tcp.ackDelayUs";
    /** Default ack delay. */
    public static final long ACK_DELAY_US_DEFAULT = 20;
    /**
     * A body of which at least this many bytes are still unread goes from the socket straight into
     * registered memory; smaller rests are copied through the staging buffer (see {@code RegionWindow}).
     */
    public static final String DIRECT_BYTES_PROP_NAME = "rdmasockets.tcp.directBytes";
    /** Default direct-read threshold (chosen, not tuned: the 2026-12-07 measurements could not rank values). */
    public static final int DIRECT_BYTES_DEFAULT = 16 * 1024;
    /** Prefix of every provider thread's name. */
    public static final String THREAD_NAME_PREFIX = "rdmasockets-tcp-";

    private TcpConfiguration()
    {
    }

    /** @return true when the provider is switched off. */
    public static boolean disabled()
    {
        return Boolean.getBoolean(DISABLED_PROP_NAME);
    }

    /** @return reactor thread count, at least 1. */
    public static int reactorCount()
    {
        return Math.max(1, Integer.getInteger(REACTOR_COUNT_PROP_NAME, REACTOR_COUNT_DEFAULT));
    }

    /** @return the handshake timeout in nanoseconds. */
    public static long handshakeTimeoutNs()
    {
        return Long.getLong(HANDSHAKE_TIMEOUT_PROP_NAME, HANDSHAKE_TIMEOUT_MS_DEFAULT) * 1_000_000L;
    }

    /** @return the sniff timeout in nanoseconds. */
    public static long sniffTimeoutNs()
    {
        return Math.max(1, Long.getLong(SNIFF_TIMEOUT_PROP_NAME, SNIFF_TIMEOUT_MS_DEFAULT)) * 1_000_000L;
    }

    /** @return the connect timeout in nanoseconds. */
    public static long connectTimeoutNs()
    {
        return Long.getLong(CONNECT_TIMEOUT_PROP_NAME, CONNECT_TIMEOUT_MS_DEFAULT) * 1_000_000L;
    }

    /** @return true when an empty CQ poll may read the connections feeding the queue. */
    public static boolean pollProgress()
    {
        return !"false".equalsIgnoreCase(System.getProperty(POLL_PROGRESS_PROP_NAME));
    }

    /** @return true when a blocked platform thread may read the sockets it waits for itself. */
    public static boolean directWait()
    {
        return pollProgress() && !"false".equalsIgnoreCase(System.getProperty(DIRECT_WAIT_PROP_NAME));
    }

    /** @return the poller grace in nanoseconds. */
    public static long pollerGraceNs()
    {
        return Math.max(1, Long.getLong(POLLER_GRACE_PROP_NAME, POLLER_GRACE_US_DEFAULT)) * 1_000L;
    }

    /** @return the coalescing limit in bytes, at least 0. */
    public static int coalesceBytes()
    {
        return Math.max(0, Integer.getInteger(COALESCE_BYTES_PROP_NAME, COALESCE_BYTES_DEFAULT));
    }

    /** @return the ack delay in nanoseconds, at least 0. */
    public static long ackDelayNs()
    {
        return Math.max(0, Long.getLong(ACK_DELAY_PROP_NAME, ACK_DELAY_US_DEFAULT)) * 1_000L;
    }

    /** @return the direct-transfer threshold in bytes, at least 1. */
    public static int directBytes()
    {
        return Math.max(1, Integer.getInteger(DIRECT_BYTES_PROP_NAME, DIRECT_BYTES_DEFAULT));
    }

    /** @return TCP_KEEPIDLE seconds. */
    public static int keepaliveIdleSec()
    {
        return Integer.getInteger(KEEPALIVE_IDLE_PROP_NAME, KEEPALIVE_IDLE_SEC_DEFAULT);
    }

    /** @return TCP_KEEPINTERVAL seconds. */
    public static int keepaliveIntervalSec()
    {
        return Integer.getInteger(KEEPALIVE_INTERVAL_PROP_NAME, KEEPALIVE_INTERVAL_SEC_DEFAULT);
    }

    /** @return TCP_KEEPCOUNT. */
    public static int keepaliveCount()
    {
        return Integer.getInteger(KEEPALIVE_COUNT_PROP_NAME, KEEPALIVE_COUNT_DEFAULT);
    }

    /** @return staging buffer length in bytes, at least 4 KiB. */
    public static int bufferLength()
    {
        return Math.max(4096, Integer.getInteger(BUFFER_LENGTH_PROP_NAME, BUFFER_LENGTH_DEFAULT));
    }
}
