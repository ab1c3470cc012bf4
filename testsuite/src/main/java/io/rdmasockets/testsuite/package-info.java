/**
 * Fixtures of the conformance testsuite: {@link io.rdmasockets.testsuite.AbstractVerbsTest}, connected RC
 * pairs built through the connection manager ({@link io.rdmasockets.testsuite.RcPair}), completion and
 * event helpers, and child-JVM launching.
 */
package io.rdmasockets.testsuite;
