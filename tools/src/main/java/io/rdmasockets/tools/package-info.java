/**
 * The {@code rsock} tool: {@link io.rdmasockets.tools.Rsock} is the entry point; one class per
 * subcommand; {@link io.rdmasockets.tools.Units} holds the formatting shared by every command.
 */
package io.rdmasockets.tools;
