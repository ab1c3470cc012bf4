/**
 * The rsocket wire and memory layouts, one Descriptor (offsets and an ASCII diagram) and one flyweight
 * per layout, citing ../shared/docs/rsocket-wire-protocol.md (rdma-core librdmacm/rsocket.c).
 */
package io.rdmasockets.rsocket.protocol;
