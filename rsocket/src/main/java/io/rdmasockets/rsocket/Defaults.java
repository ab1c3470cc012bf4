package io.rdmasockets.rsocket;

import io.rdmasockets.rsocket.config.RsocketConfig;

/** Process-wide state of the socket API, created on first use. */
final class Defaults
{
    /** The {@code /etc/rdma/rsocket} configuration, read once as C does on the first {@code rsocket()}. */
    static final RsocketConfig CONFIG = RsocketConfig.process();

    private Defaults()
    {
    }
}
