package io.rdmasockets.provider.ibverbs.internal.abi;

import io.rdmasockets.verbs.WorkCompletionDescriptor;

import java.lang.foreign.StructLayout;
import java.util.List;

/** Every C struct layout the bindings use; each layout's name is its C struct tag. */
public final class AbiLayouts
{
    /** Checked against the installed headers, size and every named member's offset. */
    public static final List<StructLayout> ALL = List.of(
        IbvDeviceDescriptor.LAYOUT,
        IbvDeviceAttrDescriptor.LAYOUT,
        IbvPortAttrDescriptor.LAYOUT,
        IbvContextDescriptor.LAYOUT,
        IbvResourceDescriptors.COMP_CHANNEL,
        IbvResourceDescriptors.PD,
        IbvResourceDescriptors.MR,
        IbvResourceDescriptors.CQ,
        IbvResourceDescriptors.QP,
        IbvQpInitAttrDescriptor.CAP_LAYOUT,
        IbvQpInitAttrDescriptor.LAYOUT,
        IbvQpAttrDescriptor.AH_ATTR,
        IbvQpAttrDescriptor.LAYOUT,
        IbvWorkRequestDescriptors.SGE,
        IbvWorkRequestDescriptors.SEND_WR,
        IbvWorkRequestDescriptors.RECV_WR,
        WorkCompletionDescriptor.LAYOUT,
        RdmaCmDescriptors.EVENT_CHANNEL,
        RdmaCmDescriptors.CONN_PARAM,
        RdmaCmDescriptors.EVENT,
        RdmaCmDescriptors.ROUTE,
        RdmaCmDescriptors.CM_ID,
        LibcDescriptors.EPOLL_EVENT,
        LibcDescriptors.POLLFD,
        LibcDescriptors.SOCKADDR_IN,
        LibcDescriptors.SOCKADDR_IN6);

    private AbiLayouts()
    {
    }
}
