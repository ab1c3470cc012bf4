/**
 * The rsocket engine: the librdmacm rsocket protocol (rsocket(7)) implemented over the verbs SPI,
 * byte for byte as C librdmacm speaks it. {@code io.rdmasockets.rsocket} is the socket API
 * ({@link io.rdmasockets.rsocket.RdmaSocket}, {@link io.rdmasockets.rsocket.RdmaServerSocket}),
 * {@code io.rdmasockets.rsocket.posix} the C-style {@code r*} calls of rsocket(7); the engine, protocol
 * and configuration packages are internal.
 */
@SuppressWarnings("module")   // the qualified exports name modules built later (testsuite, tools)
module io.rdmasockets.rsocket {
    requires transitive io.rdmasockets.verbs;
    requires java.logging;

    exports io.rdmasockets.rsocket;
    exports io.rdmasockets.rsocket.posix;
    // The conformance suites drive the engine directly (states, raw peers, leak counters); the rstream
    // port in the tools runs the same loop over the engine and over JDK sockets.
    exports io.rdmasockets.rsocket.engine to io.rdmasockets.testsuite, io.rdmasockets.tools, io.rdmasockets.nio;
    exports io.rdmasockets.rsocket.protocol to io.rdmasockets.testsuite;
    exports io.rdmasockets.rsocket.config to io.rdmasockets.testsuite, io.rdmasockets.tools, io.rdmasockets.nio;
}
