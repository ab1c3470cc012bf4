/**
 * Routing rules: which stack a socket uses, from an SDP/JSOR-style text file or from DMM's
 * {@code module_config.json} and {@code rd_config.json}. See {@link io.rdmasockets.nio.routing.RoutingRules}.
 */
package io.rdmasockets.nio.routing;
