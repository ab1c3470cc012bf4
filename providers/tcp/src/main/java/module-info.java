/**
 * The "tcp" software verbs provider: RC queue pairs emulated over TCP connections, so that everything
 * above the verbs SPI runs on any machine. Exports nothing; it is found as a service.
 */
module io.rdmasockets.provider.tcp {
    requires io.rdmasockets.verbs;
    requires jdk.net;

    provides io.rdmasockets.verbs.VerbsProvider with io.rdmasockets.provider.tcp.TcpVerbsProvider;
}
