package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.rdmasockets.provider.ibverbs.internal.abi.Abi.*;

/**
 * {@code struct ibv_context} with its embedded {@code struct ibv_context_ops}. The data-path verbs
 * ({@code ibv_post_send}, {@code ibv_post_recv}, {@code ibv_poll_cq}, {@code ibv_req_notify_cq}) are
 * static inline in verbs.h: they jump through these function pointers, so the provider does too.
 *
 * <pre>
 *   0 device (struct ibv_device *)
 *   8 ops: 32 function pointers; the ones used:
 *        96 ops.poll_cq   104 ops.req_notify_cq   208 ops.post_send   216 ops.post_recv
 * 264 cmd_fd   268 async_fd   272 num_comp_vectors   (int each)
 * 280 mutex (pthread_mutex_t, 40)   320 abi_compat (void *)   328 end
 * </pre>
 */
public final class IbvContextDescriptor
{
    private static final String[] OPS = {
        "_compat_query_device", "_compat_query_port", "_compat_alloc_pd", "_compat_dealloc_pd",
        "_compat_reg_mr", "_compat_rereg_mr", "_compat_dereg_mr", "alloc_mw", "bind_mw", "dealloc_mw",
        "_compat_create_cq", "poll_cq", "req_notify_cq", "_compat_cq_event", "_compat_resize_cq",
        "_compat_destroy_cq", "_compat_create_srq", "_compat_modify_srq", "_compat_query_srq",
        "_compat_destroy_srq", "post_srq_recv", "_compat_create_qp", "_compat_query_qp",
        "_compat_modify_qp", "_compat_destroy_qp", "post_send", "post_recv", "_compat_create_ah",
        "_compat_destroy_ah", "_compat_attach_mcast", "_compat_detach_mcast", "_compat_async_event"};

    /** {@code struct ibv_context_ops}. */
    public static final StructLayout OPS_LAYOUT = opsLayout();

    /** The layout, named as the C header. */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        POINTER.withName("device"),
        OPS_LAYOUT.withName("ops"),
        INT.withName("cmd_fd"),
        INT.withName("async_fd"),
        INT.withName("num_comp_vectors"),
        MemoryLayout.paddingLayout(4),
        opaque("mutex", PTHREAD_MUTEX_SIZE),
        POINTER.withName("abi_compat")).withName("ibv_context");

    public static final long DEVICE = offset(LAYOUT, "device");
    public static final long POLL_CQ = offset(LAYOUT, "ops", "poll_cq");
    public static final long REQ_NOTIFY_CQ = offset(LAYOUT, "ops", "req_notify_cq");
    public static final long POST_SEND = offset(LAYOUT, "ops", "post_send");
    public static final long POST_RECV = offset(LAYOUT, "ops", "post_recv");
    public static final long CMD_FD = offset(LAYOUT, "cmd_fd");
    public static final long ASYNC_FD = offset(LAYOUT, "async_fd");
    public static final long NUM_COMP_VECTORS = offset(LAYOUT, "num_comp_vectors");

    private IbvContextDescriptor()
    {
    }

    private static StructLayout opsLayout()
    {
        final MemoryLayout[] members = new MemoryLayout[OPS.length];
        for (int i = 0; i < OPS.length; i++)
        {
            members[i] = POINTER.withName(OPS[i]);
        }
        return MemoryLayout.structLayout(members).withName("ibv_context_ops");
    }
}
