/**
 * Internals of the native provider: library loading and availability ({@link
 * io.rdmasockets.provider.ibverbs.internal.NativeLibraries}), downcalls ({@link
 * io.rdmasockets.provider.ibverbs.internal.Ibverbs}).
 */
package io.rdmasockets.provider.ibverbs.internal;
