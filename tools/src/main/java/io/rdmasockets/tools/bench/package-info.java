/**
 * Benchmarks: a provider's verbs against JDK NIO sockets on loopback, latency (HdrHistogram) and
 * throughput, printed side by side with their ratio.
 */
package io.rdmasockets.tools.bench;
