/**
 * The "native" verbs provider ({@link io.rdmasockets.provider.ibverbs.NativeVerbsProvider}): libibverbs and
 * librdmacm through FFM. Applications find it through {@code io.rdmasockets.verbs.Verbs}, never by name of
 * this package.
 */
package io.rdmasockets.provider.ibverbs;
