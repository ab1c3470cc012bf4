/**
 * Selector conformance suites: abstract JUnit 5 tests of {@link java.nio.channels.Selector} and the
 * selectable channels, written only against a {@link java.nio.channels.spi.SelectorProvider} returned by
 * {@link io.rdmasockets.testsuite.nio.AbstractSelectorTest#provider()}, so that they check the JDK's own
 * provider (the reference) and any provider that multiplexes other kinds of sockets in one selector.
 * {@link io.rdmasockets.testsuite.nio.AbstractSelectorTest#listenAddress()} picks the address listeners bind
 * to, so a routing provider can run them on routed addresses.
 */
package io.rdmasockets.testsuite.nio;
