/**
 * The {@code rsock} command-line tool: lists verbs providers and devices, demonstrates the verbs SPI on
 * loopback, and benchmarks a provider against JDK NIO. Runs on the module path (see {@code ./rsock}).
 */
module io.rdmasockets.tools {
    requires io.rdmasockets.verbs;
    requires info.picocli;
    // HdrHistogram 2.2.2 has no Automatic-Module-Name: the name is derived from its jar file name.
    requires HdrHistogram;

    // picocli fills @Option/@Spec fields and instantiates commands reflectively.
    opens io.rdmasockets.tools to info.picocli;
    opens io.rdmasockets.tools.bench to info.picocli;
}
