/**
 * Verbs helpers shared by the demo and the benchmarks: a loopback connection made through the
 * connection manager, and completion polling.
 */
package io.rdmasockets.tools.verbs;
