/** The rsocket(7) configuration files under /etc/rdma/rsocket and their defaults. */
package io.rdmasockets.rsocket.config;
