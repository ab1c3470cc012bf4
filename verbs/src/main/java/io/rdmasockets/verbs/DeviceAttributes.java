package io.rdmasockets.verbs;

/**
 * The subset of {@code struct ibv_device_attr} that rsocket and the tools use.
 *
 * @param firmwareVersion {@code fw_ver}.
 * @param nodeGuid        {@code node_guid} in host order.
 * @param vendorId        {@code vendor_id}.
 * @param vendorPartId    {@code vendor_part_id}.
 * @param maxMrSize       {@code max_mr_size}: largest registrable region in bytes.
 * @param maxQp           {@code max_qp}.
 * @param maxQpWr         {@code max_qp_wr}: work requests per send or receive queue.
 * @param maxSge          {@code max_sge}: scatter/gather entries per work request.
 * @param maxCq           {@code max_cq}.
 * @param maxCqe          {@code max_cqe}: completions per queue.
 * @param maxMr           {@code max_mr}.
 * @param maxPd           {@code max_pd}.
 * @param maxQpRdAtom     {@code max_qp_rd_atom}: outstanding RDMA reads a QP can answer.
 * @param maxQpInitRdAtom {@code max_qp_init_rd_atom}: outstanding RDMA reads a QP can issue.
 * @param physPortCount   {@code phys_port_cnt}.
 */
public record DeviceAttributes(
    String firmwareVersion,
    long nodeGuid,
    int vendorId,
    int vendorPartId,
    long maxMrSize,
    int maxQp,
    int maxQpWr,
    int maxSge,
    int maxCq,
    int maxCqe,
    int maxMr,
    int maxPd,
    int maxQpRdAtom,
    int maxQpInitRdAtom,
    int physPortCount)
{
}
