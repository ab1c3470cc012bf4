package io.rdmasockets.rsocket.engine;

import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventChannel;

import java.util.concurrent.TimeUnit;

import static io.rdmasockets.rsocket.engine.RsocketState.*;

/**
 * The connection-manager events of one stream rsocket, handled on the service thread ({@link RsocketService},
 * wire-protocol doc section 4.6): a connect in progress takes its own ({@link Connector}), a listener accepts
 * connection requests ({@link Acceptor}), an accepted connection is queued for accept once established, and
 * a disconnect flushes the queue pair and wakes every waiter. After each event, whoever polls the socket
 * looks again.
 */
final class CmEventHandler
{
    private final StreamRsocket socket;
    private final CmEventChannel cmChannel;

    CmEventHandler(final StreamRsocket socket, final CmEventChannel cmChannel)
    {
        this.socket = socket;
        this.cmChannel = cmChannel;
    }

    /** Hands this socket's connection-manager events to the service thread from now on. */
    void watch()
    {
        cmChannel.readyListener(() -> RsocketService.execute(this::drain));
        // An event that arrived before the listener was installed fired nothing: look once.
        RsocketService.execute(this::drain);
    }

    private void drain()
    {
        try
        {
            CmEvent ev;
            while (cmChannel.isOpen() && null != (ev = cmChannel.awaitEvent(0, TimeUnit.MILLISECONDS)))
            {
                try
                {
                    onEvent(ev);
                }
                catch (final RuntimeException e)
                {
                    // One socket's bug must not take the service thread, or other sockets' events, with it.
                    System.getLogger(StreamRsocket.class.getName()).log(System.Logger.Level.ERROR,
                        "rsocket " + socket + ": " + ev, e);
                }
                // Connected, failed, disconnected: whoever polls this socket looks again.
                socket.readiness.signal();
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private void onEvent(final CmEvent ev)
    {
        if (0 != (socket.state & OPENING) && ACCEPTING != socket.state)
        {
            socket.connector.onProgress(ev);
            return;
        }
        switch (ev.type())
        {
            case CONNECT_REQUEST -> socket.acceptor.onConnectRequest(ev);
            case ESTABLISHED ->
            {
                if (ACCEPTING == socket.state)
                {
                    socket.listener.acceptor.onEstablished(socket);
                }
            }
            case DISCONNECTED, DEVICE_REMOVAL -> onDisconnected();
            case REJECTED, CONNECT_ERROR, UNREACHABLE ->
            {
                if (ACCEPTING == socket.state)
                {
                    socket.state = CONNECT_ERROR;
                    socket.close();
                }
            }
            default ->
            {
                // TIMEWAIT_EXIT and address changes need no action.
            }
        }
    }

    /** The connection manager says the peer is gone: flush the queue pair and wake every waiter. */
    private void onDisconnected()
    {
        synchronized (socket)
        {
            if (socket.closed.get())
            {
                return;
            }
            if (0 != (socket.state & CONNECTED) || ACCEPTING == socket.state)
            {
                socket.state = DISCONNECTED;
            }
            final Endpoint e = socket.ep;
            if (null != e && e.qp.isOpen())
            {
                try
                {
                    e.qp.modifyToError();
                }
                catch (final VerbsException ignored)
                {
                    // Already destroyed by a concurrent close.
                }
            }
            final DataPath d = socket.data;
            if (null != d)
            {
                d.wakeup();
            }
        }
    }
}
