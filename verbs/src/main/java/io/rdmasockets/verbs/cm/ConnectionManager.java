package io.rdmasockets.verbs.cm;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;

/** The connection manager of one provider, as librdmacm is to libibverbs. */
public interface ConnectionManager
{
    /** @return the provider whose devices the ids' queue pairs live on. */
    VerbsProvider provider();

    /**
     * @return a new event channel, as {@code rdma_create_event_channel}.
     * @throws VerbsException when out of resources.
     */
    CmEventChannel createEventChannel() throws VerbsException;

    /**
     * Creates an id, as {@code rdma_create_id}.
     *
     * @param channel   where the id's events go.
     * @param portSpace the service namespace.
     * @param context   anything; returned by {@link CmId#context()}.
     * @return the id.
     * @throws VerbsException {@code EOPNOTSUPP} for a port space the provider does not implement.
     */
    CmId createId(CmEventChannel channel, PortSpace portSpace, Object context) throws VerbsException;
}
