/**
 * {@code rsock echo-server} and {@code rsock echo-client}: ports of DMM's {@code vs_epoll} (a selector-based
 * echo server) and {@code vc_common} (a ping-pong client) with their flags and output lines
 * (dmm-stack-routing.md section 4). They use only standard {@code java.nio} channels and selectors from
 * {@link java.nio.channels.spi.SelectorProvider#provider()}, so the same code runs over rsockets when a
 * provider is installed with {@code -Djava.nio.channels.spi.SelectorProvider}.
 */
package io.rdmasockets.tools.echo;
