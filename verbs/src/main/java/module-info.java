/**
 * The verbs SPI: devices, protection domains, memory regions, completion queues and channels, queue
 * pairs and an rdma_cm-like connection manager, modelled on libibverbs and librdmacm so that a native
 * provider maps onto it one to one. Providers are found with {@link java.util.ServiceLoader}.
 */
module io.rdmasockets.verbs {
    requires transitive io.rdmasockets.common;

    exports io.rdmasockets.verbs;
    exports io.rdmasockets.verbs.cm;
    exports io.rdmasockets.verbs.support;

    uses io.rdmasockets.verbs.VerbsProvider;
}
