/**
 * The connection manager, modelled on librdmacm's asynchronous API: an
 * {@link io.rdmasockets.verbs.cm.CmEventChannel} delivers {@link io.rdmasockets.verbs.cm.CmEvent}s for
 * {@link io.rdmasockets.verbs.cm.CmId}s (bind, resolve, listen, connect, accept, reject, disconnect).
 */
package io.rdmasockets.verbs.cm;
