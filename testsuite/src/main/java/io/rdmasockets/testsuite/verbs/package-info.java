/**
 * The abstract conformance suites, one topic each, named {@code *Conformance} so that surefire does not
 * run them directly: a provider module subclasses each as {@code <Provider>...Test}.
 */
package io.rdmasockets.testsuite.verbs;
