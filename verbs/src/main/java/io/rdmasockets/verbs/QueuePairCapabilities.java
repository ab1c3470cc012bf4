package io.rdmasockets.verbs;

/**
 * The sizes a queue pair was granted, as {@code struct ibv_qp_cap} after {@code ibv_create_qp}; each is
 * at least what was asked for.
 *
 * @param maxSendWr     outstanding send work requests.
 * @param maxRecvWr     outstanding receive work requests.
 * @param maxSendSge    scatter/gather entries per send.
 * @param maxRecvSge    scatter/gather entries per receive.
 * @param maxInlineData bytes a send may carry inline.
 */
public record QueuePairCapabilities(int maxSendWr, int maxRecvWr, int maxSendSge, int maxRecvSge, int maxInlineData)
{
}
