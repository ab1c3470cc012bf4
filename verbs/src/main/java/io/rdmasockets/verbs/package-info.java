/**
 * The verbs SPI, modelled on libibverbs: {@link io.rdmasockets.verbs.Verbs} finds providers,
 * a {@link io.rdmasockets.verbs.VerbsProvider} lists {@link io.rdmasockets.verbs.VerbsDevice}s, a
 * {@link io.rdmasockets.verbs.VerbsContext} allocates protection domains, completion channels and
 * queues, and a {@link io.rdmasockets.verbs.ProtectionDomain} registers memory and creates queue pairs.
 *
 * <p>Data-path calls ({@code postSend}, {@code postReceive}, {@code poll}, {@code requestNotify}) return
 * status codes and allocate nothing; control-path calls throw {@link io.rdmasockets.verbs.VerbsException}.
 */
package io.rdmasockets.verbs;
