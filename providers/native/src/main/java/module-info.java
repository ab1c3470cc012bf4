/**
 * The "native" verbs provider: the system's libibverbs.so.1 and librdmacm.so.1 bound with the Foreign
 * Function and Memory API (no JNI, nothing compiled at build time), for real RDMA NICs and the rxe/siw
 * software drivers. Exports nothing; it is found as a service, available only where the libraries and
 * a device are.
 */
module io.rdmasockets.provider.ibverbs {
    requires io.rdmasockets.verbs;

    provides io.rdmasockets.verbs.VerbsProvider with io.rdmasockets.provider.ibverbs.NativeVerbsProvider;
}
