/**
 * Internal: the Java agent of {@code rsock run}, loaded from the class path by {@code -javaagent}.
 */
package io.rdmasockets.nio.agent;
