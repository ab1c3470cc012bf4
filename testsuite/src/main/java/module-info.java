/**
 * The conformance testsuite: abstract JUnit 5 suites of the verbs SPI and of rsockets that every
 * {@link io.rdmasockets.verbs.VerbsProvider}
 * module subclasses in one screen each (Netty's testsuite model), the fixtures they share, and the peer
 * programs that run in child JVMs and network namespaces.
 */
module io.rdmasockets.testsuite {
    requires transitive io.rdmasockets.verbs;
    requires transitive io.rdmasockets.rsocket;
    requires transitive org.junit.jupiter.api;
    requires transitive org.junit.jupiter.params;

    exports io.rdmasockets.testsuite;
    exports io.rdmasockets.testsuite.verbs;
    exports io.rdmasockets.testsuite.peer;
    exports io.rdmasockets.testsuite.rsocket;
    exports io.rdmasockets.testsuite.rsocket.engine;
    exports io.rdmasockets.testsuite.rsocket.posix;
    exports io.rdmasockets.testsuite.nio;

}
