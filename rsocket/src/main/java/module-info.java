/**
 * The rsocket engine: the librdmacm rsocket protocol (rsocket(7)) implemented over the verbs SPI,
 * byte for byte as C librdmacm speaks it. {@code io.rdmasockets.rsocket} is the socket API
 * ({@link io.rdmasockets.rsocket.RdmaSocket}, {@link io.rdmasockets.rsocket.RdmaServerSocket}); the
 * engine, protocol and configuration packages are internal.
 */
@SuppressWarnings("module")   // the qualified export names a module built later (tools)
module io.rdmasockets.rsocket {
    requires transitive io.rdmasockets.verbs;
    requires java.logging;

    exports io.rdmasockets.rsocket;
    exports io.rdmasockets.rsocket.engine to io.rdmasockets.tools;
    exports io.rdmasockets.rsocket.config to io.rdmasockets.tools;
}
