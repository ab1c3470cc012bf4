/**
 * Building blocks shared by verbs providers (not for applications): resource bookkeeping that every
 * provider needs in the same form, kept here so that providers do not each carry a copy.
 */
package io.rdmasockets.verbs.support;
