package io.rdmasockets.verbs.cm;

/**
 * {@code struct rdma_conn_param}: what {@link CmId#connect} and {@link CmId#accept} send, and what a
 * {@link CmEvent} reports of the peer's.
 *
 * @param privateData        up to {@link #MAX_CONNECT_PRIVATE_DATA} bytes on connect and
 *                           {@link #MAX_ACCEPT_PRIVATE_DATA} on accept; may be empty, never null.
 * @param responderResources RDMA reads the local side accepts at once.
 * @param initiatorDepth     RDMA reads the local side issues at once.
 * @param flowControl        end-to-end flow control (rsocket sets it).
 * @param retryCount         transport retries, 0..7.
 * @param rnrRetryCount      receiver-not-ready retries, 0..7 where 7 means forever (rsocket uses 7).
 */
public record ConnectionParameters(
    byte[] privateData,
    int responderResources,
    int initiatorDepth,
    boolean flowControl,
    int retryCount,
    int rnrRetryCount)
{
    /** User private data in a connect request under rdma_cm over IB/RoCE (92 - 36 CMA header). */
    public static final int MAX_CONNECT_PRIVATE_DATA = 56;
    /** User private data in an accept (IB CM REP). */
    public static final int MAX_ACCEPT_PRIVATE_DATA = 196;
    /** User private data in a reject (IB CM REJ). */
    public static final int MAX_REJECT_PRIVATE_DATA = 148;
    /** The {@code rnrRetryCount} that means retry forever. */
    public static final int RNR_RETRY_INFINITE = 7;

    /** Copies the private data and checks the ranges. */
    public ConnectionParameters
    {
        privateData = null == privateData ? new byte[0] : privateData.clone();
        if (responderResources < 0 || responderResources > 255 || initiatorDepth < 0 || initiatorDepth > 255)
        {
            throw new IllegalArgumentException("responderResources/initiatorDepth must be 0..255");
        }
        if (retryCount < 0 || retryCount > 7 || rnrRetryCount < 0 || rnrRetryCount > 7)
        {
            throw new IllegalArgumentException("retryCount/rnrRetryCount must be 0..7");
        }
    }

    /**
     * The parameters C rsocket connects with: flow control on, retry 7, RNR retry 7 (forever), no RDMA
     * reads (wire-protocol doc section 1.1).
     *
     * @param privateData the private data.
     * @return the parameters.
     */
    public static ConnectionParameters rsocketDefaults(final byte[] privateData)
    {
        return new ConnectionParameters(privateData, 0, 0, true, 7, RNR_RETRY_INFINITE);
    }

    /** @return a copy of the private data. */
    @Override
    public byte[] privateData()
    {
        return privateData.clone();
    }

    /** @return the private data's length in bytes. */
    public int privateDataLength()
    {
        return privateData.length;
    }
}
