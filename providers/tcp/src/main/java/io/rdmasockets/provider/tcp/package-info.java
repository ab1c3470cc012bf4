/** Entry point of the "tcp" software verbs provider (verbs emulated over TCP). */
package io.rdmasockets.provider.tcp;
