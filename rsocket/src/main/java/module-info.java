/**
 * The rsocket engine: the librdmacm rsocket protocol (rsocket(7)) implemented over the verbs SPI,
 * byte for byte as C librdmacm speaks it. The socket API packages are added with the engine; the
 * protocol and configuration packages are internal.
 */
module io.rdmasockets.rsocket {
    requires transitive io.rdmasockets.verbs;
    requires java.logging;
}
