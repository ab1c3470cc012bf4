package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.ConnectionParameters;

import java.lang.foreign.MemorySegment;

import static io.rdmasockets.provider.tcp.internal.TcpFrameDescriptor.*;

/**
 * The connection-manager state machine of one connection, as the IB CM runs it:
 * REQ, then REP (accept) or REJ (reject), then RTU; DREQ/DREP to disconnect.
 *
 * <pre>
 *  active:  WAIT_REP --REP/send RTU--> ESTABLISHED --disconnect/DREQ--> DISCONNECTING --DREP/EOF--> DONE
 *  passive: WAIT_REQ --REQ--> REQ_RECEIVED --accept/REP--> REP_SENT --RTU--> ESTABLISHED --DREQ/DREP--> DONE
 * </pre>
 *
 * <p><b>Note:</b> guarded by this object's monitor; lock order: handshake, queue pair, completion
 * queue, writer.
 */
final class CmHandshake
{
    /** Which side of the connection. */
    enum Role
    {
        ACTIVE, PASSIVE
    }

    private static final int WAIT_REP = 1;
    private static final int WAIT_REQ = 2;
    private static final int REQ_RECEIVED = 3;
    private static final int REP_SENT = 4;
    private static final int ESTABLISHED = 5;
    private static final int DISCONNECTING = 6;
    private static final int DONE = 7;

    private final TcpConnection connection;
    private final Role role;
    private int state;
    private volatile long deadlineNs;
    private TcpCmId id;
    private TcpListener listener;
    private boolean backlogHeld;

    CmHandshake(final TcpConnection connection, final Role role)
    {
        this.connection = connection;
        this.role = role;
    }

    synchronized void startActive(final TcpCmId id)
    {
        this.id = id;
        state = WAIT_REP;
        deadlineNs = nonZero(System.nanoTime() + TcpConfiguration.connectTimeoutNs());
    }

    synchronized void startPassive(final TcpListener listener)
    {
        this.listener = listener;
        state = WAIT_REQ;
        deadlineNs = nonZero(System.nanoTime() + TcpConfiguration.handshakeTimeoutNs());
    }

    private static long nonZero(final long ns)
    {
        return 0 == ns ? 1 : ns;
    }

    long deadlineNs()
    {
        return deadlineNs;
    }

    /** @return false when the connection must close (the frame was not acceptable here). */
    synchronized boolean onFrame(final int type, final int status, final MemorySegment s, final long body, final int length)
    {
        switch (type)
        {
            case TYPE_REQ ->
            {
                if (WAIT_REQ != state || !CmFrames.isCompatible(s, body, length) ||
                    length > CM_BODY_LENGTH + ConnectionParameters.MAX_CONNECT_PRIVATE_DATA)
                {
                    return fail();
                }
                deadlineNs = 0;
                final ConnectionParameters params =
                    CmFrames.parameters(s, body, length, ConnectionParameters.MAX_CONNECT_PRIVATE_DATA);
                connection.peerRnrRetry(params.rnrRetryCount());
                return onRequest(cmPortSpace(s, body), params);
            }
            case TYPE_REP ->
            {
                if (WAIT_REP != state || !CmFrames.isCompatible(s, body, length))
                {
                    return fail();
                }
                deadlineNs = 0;
                final ConnectionParameters params =
                    CmFrames.parameters(s, body, length, ConnectionParameters.MAX_ACCEPT_PRIVATE_DATA);
                connection.peerRnrRetry(params.rnrRetryCount());
                return onReply(params);
            }
            case TYPE_REJ ->
            {
                if (WAIT_REP != state)
                {
                    return fail();
                }
                deadlineNs = 0;
                state = DONE;
                TcpCmId.deliver(id, CmEventType.REJECTED, status, CmFrames.rejectParameters(s, body, length));
                connection.closeQuietly();
                return false;
            }
            case TYPE_RTU ->
            {
                if (REP_SENT != state)
                {
                    return fail();
                }
                state = ESTABLISHED;
                TcpCmId.deliver(id, CmEventType.ESTABLISHED, 0, null);
                return true;
            }
            case TYPE_DREQ ->
            {
                if (ESTABLISHED != state && DISCONNECTING != state && REP_SENT != state)
                {
                    return fail();
                }
                failQueuePair(WcStatus.WR_FLUSH_ERR.code());
                final boolean report = DISCONNECTING != state;
                state = DONE;
                connection.writer().enqueueControl(CmFrames.bare(TYPE_DREP));
                connection.writer().closeWhenDrained();
                if (report)
                {
                    TcpCmId.deliver(id, CmEventType.DISCONNECTED, 0, null);
                }
                return true;
            }
            case TYPE_DREP ->
            {
                if (DISCONNECTING == state)
                {
                    state = DONE;
                    TcpCmId.deliver(id, CmEventType.DISCONNECTED, 0, null);
                }
                connection.closeQuietly();
                return false;
            }
            default ->
            {
                return fail();
            }
        }
    }

    private boolean fail()
    {
        failQueuePair(WcStatus.WR_FLUSH_ERR.code());
        lost(Errno.EPROTO);
        connection.closeQuietly();
        return false;
    }

    private boolean onRequest(final int portSpace, final ConnectionParameters params)
    {
        final TcpListener l = listener;
        final TcpCmId child = l.onRequest(connection, portSpace);
        if (null == child)
        {
            state = DONE;
            final int reason = l.isListening() && l.portSpaceCode() == portSpace ?
                CmFrames.REJECT_NO_RESOURCES : CmEvent.REJECT_INVALID_SERVICE_ID;
            connection.writer().enqueueControl(CmFrames.reject(reason, null));
            connection.writer().closeWhenDrained();
            connection.writer().flushFromReactor();
            return true;
        }
        id = child;
        backlogHeld = true;
        state = REQ_RECEIVED;
        l.deliver(new CmEvent(CmEventType.CONNECT_REQUEST, child, l.id(), 0, params));
        return true;
    }

    private boolean onReply(final ConnectionParameters params)
    {
        final TcpQueuePair qp = null == id ? null : id.tcpQueuePair();
        if (null == qp || !qp.isOpen())
        {
            state = DONE;
            TcpCmId.deliver(id, CmEventType.CONNECT_ERROR, -Errno.ECONNABORTED.code(), null);
            connection.closeQuietly();
            return false;
        }
        connection.attach(qp);
        connection.writer().enqueueControl(CmFrames.bare(TYPE_RTU));
        state = ESTABLISHED;
        if (!qp.connect(connection))
        {
            state = DONE;
            TcpCmId.deliver(id, CmEventType.CONNECT_ERROR, -Errno.ECONNABORTED.code(), null);
            connection.closeQuietly();
            return false;
        }
        TcpCmId.deliver(id, CmEventType.ESTABLISHED, 0, params);
        return true;
    }

    /**
     * Accepts the pending request (application thread).
     *
     * @param qp     the id's queue pair.
     * @param params accept parameters.
     * @param portSpace the listener's port space code.
     * @throws VerbsException EINVAL without a pending request, ECONNABORTED when the requester left.
     */
    synchronized void accept(final TcpQueuePair qp, final ConnectionParameters params, final int portSpace)
        throws VerbsException
    {
        if (DONE == state || !connection.isOpen())
        {
            throw new VerbsException(Errno.ECONNABORTED, "accept: the requester has gone");
        }
        if (REQ_RECEIVED != state)
        {
            throw new VerbsException(Errno.EINVAL, "accept: no pending connect request");
        }
        releaseBacklog();
        connection.attach(qp);
        connection.writer().enqueueControl(CmFrames.connect(TYPE_REP, portSpace, qp.qpNumber(), params));
        state = REP_SENT;
        if (!qp.connect(connection))
        {
            throw new VerbsException(Errno.EINVAL, "accept: queue pair is closed, in ERR or already connected");
        }
    }

    /**
     * Rejects the pending request (application thread).
     *
     * @param privateData reject private data.
     * @throws VerbsException EINVAL without a pending request.
     */
    synchronized void reject(final byte[] privateData) throws VerbsException
    {
        if (REQ_RECEIVED != state)
        {
            throw new VerbsException(Errno.EINVAL, "reject: no pending connect request");
        }
        releaseBacklog();
        state = DONE;
        connection.writer().enqueueControl(CmFrames.reject(CmEvent.REJECT_CONSUMER, privateData));
        connection.writer().closeWhenDrained();
        connection.writer().flushFromPoster();
    }

    /**
     * Disconnects (application thread): QP to ERR, DREQ to the peer; DISCONNECTED follows on DREP.
     *
     * @throws VerbsException EINVAL when not connected.
     */
    synchronized void disconnect() throws VerbsException
    {
        if (ESTABLISHED != state && REP_SENT != state)
        {
            throw new VerbsException(Errno.EINVAL, "disconnect: not connected");
        }
        state = DISCONNECTING;
        failQueuePair(WcStatus.WR_FLUSH_ERR.code());
        connection.writer().enqueueControl(CmFrames.bare(TYPE_DREQ));
        connection.writer().flushFromPoster();
    }

    /** The id is destroyed (application thread): a connected peer gets DREQ, then the socket closes. */
    void closeFromId()
    {
        final boolean graceful;
        synchronized (this)
        {
            releaseBacklog();
            graceful = ESTABLISHED == state || REP_SENT == state;
            if (graceful)
            {
                failQueuePair(WcStatus.WR_FLUSH_ERR.code());
                connection.writer().enqueueControl(CmFrames.bare(TYPE_DREQ));
                connection.writer().closeWhenDrained();
            }
            state = DONE;
            id = null;
        }
        if (graceful)
        {
            connection.writer().flushFromPoster();
        }
        else
        {
            connection.closeQuietly();
        }
    }

    /** @return true while a request is pending or the connection is (being) established. */
    synchronized boolean isConnected()
    {
        return ESTABLISHED == state || REP_SENT == state;
    }

    synchronized void onConnectRefused()
    {
        if (WAIT_REP == state)
        {
            state = DONE;
            deadlineNs = 0;
            TcpCmId.deliver(id, CmEventType.REJECTED, CmEvent.REJECT_INVALID_SERVICE_ID,
                new ConnectionParameters(new byte[ConnectionParameters.MAX_REJECT_PRIVATE_DATA], 0, 0, false, 0, 0));
        }
    }

    synchronized void onTimeout()
    {
        if (WAIT_REP == state)
        {
            state = DONE;
            TcpCmId.deliver(id, CmEventType.UNREACHABLE, -Errno.ETIMEDOUT.code(), null);
        }
        deadlineNs = 0;
    }

    /** @param errno why the socket went away. */
    synchronized void onTransportLost(final Errno errno)
    {
        lost(errno);
    }

    private void lost(final Errno errno)
    {
        deadlineNs = 0;
        switch (state)
        {
            case WAIT_REP -> TcpCmId.deliver(id, CmEventType.UNREACHABLE,
                -(Errno.ECONNRESET == errno ? Errno.ETIMEDOUT : errno).code(), null);
            case REP_SENT -> TcpCmId.deliver(id, CmEventType.CONNECT_ERROR, -errno.code(), null);
            case ESTABLISHED, DISCONNECTING -> TcpCmId.deliver(id, CmEventType.DISCONNECTED, 0, null);
            default ->
            {
            }
        }
        state = DONE;
    }

    synchronized void onQueuePairClosed()
    {
        state = DONE;
    }

    synchronized void onClosed()
    {
        releaseBacklog();
        deadlineNs = 0;
        if (DONE != state)
        {
            lost(Errno.ECONNRESET);
        }
    }

    private void failQueuePair(final int status)
    {
        final TcpQueuePair qp = connection.dataQueuePair();
        if (null != qp)
        {
            qp.fail(status);
        }
    }

    private void releaseBacklog()
    {
        if (backlogHeld)
        {
            backlogHeld = false;
            listener.releaseBacklog();
        }
    }

    Role role()
    {
        return role;
    }

    /** @return the handshake state, read without the lock (diagnostics). */
    String describe()
    {
        return "cm state=" + state;
    }
}
