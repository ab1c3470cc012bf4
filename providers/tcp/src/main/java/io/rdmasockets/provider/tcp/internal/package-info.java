/** Implementation of the "tcp" verbs provider: frames, reactor, queue pairs and connection manager. */
package io.rdmasockets.provider.tcp.internal;
