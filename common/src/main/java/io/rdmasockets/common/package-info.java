/**
 * Errno codes (Linux x86-64 numbering, as libibverbs, librdmacm and rsocket(7) report them) and
 * {@link io.rdmasockets.common.ErrnoException}.
 */
package io.rdmasockets.common;
