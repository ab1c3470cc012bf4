package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * The librdmacm structs: {@code rdma_event_channel}, {@code rdma_conn_param}, {@code rdma_cm_event},
 * {@code rdma_cm_id}. {@code rdma_get_local_addr}/{@code rdma_get_peer_addr} are static inline in
 * rdma_cma.h: the addresses are read at {@code route.addr.src_storage}/{@code dst_storage} directly.
 *
 * <pre>
 * rdma_event_channel (4):  0 fd
 * rdma_conn_param (24):    0 private_data   8 private_data_len   9 responder_resources
 *                         10 initiator_depth   11 flow_control   12 retry_count   13 rnr_retry_count
 *                         14 srq (u8 each)   15 (padding)   16 qp_num (u32)   20 (padding)
 * rdma_cm_event (80):      0 id   8 listen_id   16 event (enum)   20 status (int)
 *                         24 union param { conn (rdma_conn_param) | ud (rdma_ud_param, 56) }
 * rdma_cm_id (416):        0 verbs   8 channel   16 context   24 qp
 *                         32 route { addr { 32 src_storage (128)  160 dst_storage (128)  288 ibaddr (40) }
 *                                    328 path_rec   336 num_paths }
 *                        344 ps (enum)   348 port_num (u8)   352 event   360 send_cq_channel
 *                        368 send_cq   376 recv_cq_channel   384 recv_cq   392 srq   400 pd
 *                        408 qp_type (enum)   412 (padding)
 * </pre>
 */
public final class RdmaCmDescriptors
{
    /** {@code struct rdma_event_channel}. */
    public static final StructLayout EVENT_CHANNEL = MemoryLayout.structLayout(
        INT.withName("fd")).withName("rdma_event_channel");
    public static final long EVENT_CHANNEL_FD = offset(EVENT_CHANNEL, "fd");

    /** {@code struct rdma_conn_param}. */
    public static final StructLayout CONN_PARAM = MemoryLayout.structLayout(
        POINTER.withName("private_data"),
        U8.withName("private_data_len"),
        U8.withName("responder_resources"),
        U8.withName("initiator_depth"),
        U8.withName("flow_control"),
        U8.withName("retry_count"),
        U8.withName("rnr_retry_count"),
        U8.withName("srq"),
        MemoryLayout.paddingLayout(1),
        U32.withName("qp_num"),
        MemoryLayout.paddingLayout(4)).withName("rdma_conn_param");
    public static final long CONN_PRIVATE_DATA = offset(CONN_PARAM, "private_data");
    public static final long CONN_PRIVATE_DATA_LEN = offset(CONN_PARAM, "private_data_len");
    public static final long CONN_RESPONDER_RESOURCES = offset(CONN_PARAM, "responder_resources");
    public static final long CONN_INITIATOR_DEPTH = offset(CONN_PARAM, "initiator_depth");
    public static final long CONN_FLOW_CONTROL = offset(CONN_PARAM, "flow_control");
    public static final long CONN_RETRY_COUNT = offset(CONN_PARAM, "retry_count");
    public static final long CONN_RNR_RETRY_COUNT = offset(CONN_PARAM, "rnr_retry_count");

    /** {@code sizeof(struct rdma_ud_param)}: datagram rsockets come later; opaque until then. */
    static final long UD_PARAM_SIZE = 56;

    /** {@code struct rdma_cm_event}. */
    public static final StructLayout EVENT = MemoryLayout.structLayout(
        POINTER.withName("id"),
        POINTER.withName("listen_id"),
        INT.withName("event"),
        INT.withName("status"),
        MemoryLayout.unionLayout(
            CONN_PARAM.withName("conn"),
            opaque("ud", UD_PARAM_SIZE)).withName("param")).withName("rdma_cm_event");
    public static final long EVENT_ID = offset(EVENT, "id");
    public static final long EVENT_LISTEN_ID = offset(EVENT, "listen_id");
    public static final long EVENT_EVENT = offset(EVENT, "event");
    public static final long EVENT_STATUS = offset(EVENT, "status");
    public static final long EVENT_CONN = offset(EVENT, "param", "conn");

    /** {@code struct rdma_route}: the addresses (sockaddr_storage each), the path records. */
    public static final StructLayout ROUTE = MemoryLayout.structLayout(
        MemoryLayout.structLayout(
            MemoryLayout.unionLayout(opaque("src_storage", 128)).withName(Abi.ANONYMOUS + "src"),
            MemoryLayout.unionLayout(opaque("dst_storage", 128)).withName(Abi.ANONYMOUS + "dst"),
            MemoryLayout.unionLayout(opaque("ibaddr", 40)).withName("addr")).withName("addr"),
        POINTER.withName("path_rec"),
        INT.withName("num_paths"),
        MemoryLayout.paddingLayout(4)).withName("rdma_route");

    /** {@code struct rdma_cm_id}. */
    public static final StructLayout CM_ID = MemoryLayout.structLayout(
        POINTER.withName("verbs"),
        POINTER.withName("channel"),
        POINTER.withName("context"),
        POINTER.withName("qp"),
        ROUTE.withName("route"),
        INT.withName("ps"),
        U8.withName("port_num"),
        MemoryLayout.paddingLayout(3),
        POINTER.withName("event"),
        POINTER.withName("send_cq_channel"),
        POINTER.withName("send_cq"),
        POINTER.withName("recv_cq_channel"),
        POINTER.withName("recv_cq"),
        POINTER.withName("srq"),
        POINTER.withName("pd"),
        INT.withName("qp_type"),
        MemoryLayout.paddingLayout(4)).withName("rdma_cm_id");
    public static final long CM_ID_VERBS = offset(CM_ID, "verbs");
    public static final long CM_ID_QP = offset(CM_ID, "qp");
    public static final long CM_ID_SRC_ADDR = offset(CM_ID, "route", "addr", Abi.ANONYMOUS + "src", "src_storage");
    public static final long CM_ID_DST_ADDR = offset(CM_ID, "route", "addr", Abi.ANONYMOUS + "dst", "dst_storage");
    public static final long CM_ID_PORT_NUM = offset(CM_ID, "port_num");
    public static final long CM_ID_PD = offset(CM_ID, "pd");

    private RdmaCmDescriptors()
    {
    }
}
