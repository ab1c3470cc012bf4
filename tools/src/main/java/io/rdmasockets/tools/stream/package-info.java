/**
 * {@code rsock stream}: a port of librdmacm's {@code rstream} (wire-protocol doc section 8.1) that runs
 * the same test, with the same output, over rsockets ({@link io.rdmasockets.tools.stream.RsocketTransport})
 * or JDK sockets ({@link io.rdmasockets.tools.stream.SocketTransport}); {@link io.rdmasockets.tools.stream.Rstream}
 * is one side of it.
 */
package io.rdmasockets.tools.stream;
