/**
 * Internal: the channels and the selector behind {@link io.rdmasockets.nio.RdmaSelectorProvider}. A channel is
 * undecided until bind or connect gives it an address; the {@link io.rdmasockets.nio.channels.Router} then
 * makes it an rsocket or a kernel TCP socket (a JDK channel it delegates to). The
 * {@link io.rdmasockets.nio.channels.HybridSelector} keeps the kernel channels in a JDK selector and blocks
 * there, and rsockets wake it when their readiness may change.
 */
package io.rdmasockets.nio.channels;
