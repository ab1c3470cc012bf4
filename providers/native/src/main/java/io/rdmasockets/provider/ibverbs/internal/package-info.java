/**
 * Internals of the native provider: library loading and availability ({@link
 * io.rdmasockets.provider.ibverbs.internal.NativeLibraries}, {@link
 * io.rdmasockets.provider.ibverbs.internal.NativeStack}); the downcalls of the control path ({@code Ibverbs},
 * {@code RdmaCm}, {@code Libc}) and of the data path through {@code struct ibv_context.ops} ({@code VerbsOps});
 * the SPI's objects over them ({@code Native*}); and the waiting machinery ({@code FdPoller}, one epoll
 * thread for ready listeners and parked waiters, and {@code EventSource}, the channels' blocking waits: in
 * {@code poll(2)} for platform threads, parked in Java for virtual ones).
 */
package io.rdmasockets.provider.ibverbs.internal;
