/**
 * The {@code rsock} command-line tool: lists verbs providers and devices, runs rstream over rsockets,
 * demonstrates rsockets and the verbs SPI on loopback, and benchmarks both against JDK sockets. Runs on the module path (see {@code ./rsock}).
 */
module io.rdmasockets.tools {
    requires io.rdmasockets.verbs;
    requires io.rdmasockets.rsocket;
    requires io.rdmasockets.nio;
    requires jdk.net;
    requires info.picocli;
    // HdrHistogram 2.2.2 has no Automatic-Module-Name: the name is derived from its jar file name.
    requires HdrHistogram;

    // picocli fills @Option/@Spec fields and instantiates commands reflectively.
    opens io.rdmasockets.tools to info.picocli;
    opens io.rdmasockets.tools.bench to info.picocli;
    opens io.rdmasockets.tools.stream to info.picocli;
    opens io.rdmasockets.tools.echo to info.picocli;
}
