package io.rdmasockets.rsocket.engine;

/**
 * The state bits of a stream rsocket, numbered as C's {@code enum rs_state} (wire-protocol doc section
 * 4.1) so traces compare line by line. {@link #CONNECT_RDWR} is connected, readable and writable;
 * shutdown clears the readable and writable bits one by one.
 */
public final class RsocketState
{
    public static final int INIT = 0x0;
    public static final int BOUND = 0x1;
    public static final int LISTENING = 0x2;
    public static final int OPENING = 0x4;
    public static final int RESOLVING_ADDR = 0x14;
    public static final int RESOLVING_ROUTE = 0x24;
    public static final int CONNECTING = 0x44;
    public static final int ACCEPTING = 0x84;
    public static final int CONNECTED = 0x100;
    public static final int WRITABLE = 0x200;
    public static final int READABLE = 0x400;
    public static final int CONNECT_RDWR = 0x700;
    public static final int CONNECT_ERROR = 0x800;
    public static final int DISCONNECTED = 0x1000;
    public static final int ERROR = 0x2000;
    /** Not in C: set by close so that blocked callers leave. */
    public static final int CLOSED = 0x4000;

    private RsocketState()
    {
    }

    /**
     * @param state a state value.
     * @return a readable name, e.g. {@code "CONNECT_RDWR"} or {@code "CONNECTED|READABLE"}.
     */
    public static String toString(final int state)
    {
        return switch (state)
        {
            case INIT -> "INIT";
            case BOUND -> "BOUND";
            case LISTENING -> "LISTENING";
            case RESOLVING_ADDR -> "RESOLVING_ADDR";
            case RESOLVING_ROUTE -> "RESOLVING_ROUTE";
            case CONNECTING -> "CONNECTING";
            case ACCEPTING -> "ACCEPTING";
            case CONNECT_RDWR -> "CONNECT_RDWR";
            case CONNECT_ERROR -> "CONNECT_ERROR";
            case DISCONNECTED -> "DISCONNECTED";
            case ERROR -> "ERROR";
            default -> "0x" + Integer.toHexString(state);
        };
    }
}
