/**
 * The NIO entry point: {@link io.rdmasockets.nio.RdmaSelectorProvider}. Everything else of this module is
 * internal ({@code io.rdmasockets.nio.channels}).
 */
package io.rdmasockets.nio;
