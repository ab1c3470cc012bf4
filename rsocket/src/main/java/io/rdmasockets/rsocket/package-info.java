/**
 * RDMA sockets in the style of {@link java.net.Socket}: {@link io.rdmasockets.rsocket.RdmaSocket} and
 * {@link io.rdmasockets.rsocket.RdmaServerSocket} speak the librdmacm rsocket protocol over a verbs provider.
 * Every failure is the {@code java.net} exception a Java developer expects and carries the errno
 * ({@link io.rdmasockets.rsocket.ErrnoCarrier}).
 */
package io.rdmasockets.rsocket;
