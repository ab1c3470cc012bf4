/**
 * rdmasockets for unmodified NIO applications: {@link io.rdmasockets.nio.RdmaSelectorProvider}, installed with
 * {@code -Djava.nio.channels.spi.SelectorProvider=io.rdmasockets.nio.RdmaSelectorProvider}, gives channels
 * whose stack (rsocket or kernel TCP) is chosen per socket when its address is known, and selectors that
 * multiplex both kinds.
 */
module io.rdmasockets.nio {
    requires transitive io.rdmasockets.rsocket;
    // Only the agent (rsock run) uses it, and the JVM resolves it whenever an agent is loaded.
    requires static java.instrument;

    requires com.fasterxml.jackson.databind;

    exports io.rdmasockets.nio;
    exports io.rdmasockets.nio.routing;
}
