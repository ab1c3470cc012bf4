/**
 * Programs the suites run in child JVMs (peer-death tests) and in network namespaces.
 */
package io.rdmasockets.testsuite.peer;
