/**
 * The rsocket stream engine: protocol state (credits, rings, target SGL) and the verbs plumbing that
 * drives it. Internal.
 */
package io.rdmasockets.rsocket.engine;
