package io.rdmasockets.provider.tcp;

import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;

/**
 * One side of a WRITE_WITH_IMM ping-pong over a connected pair, with every object preallocated, so a
 * round trip allocates nothing in the test either: busy-polls, zero-SGE receives, signaled writes.
 */
final class PingPong
{
    private final QueuePair qp;
    private final RcEndpoint side;
    private final MemoryRegion local;
    private final SendWorkRequest send = new SendWorkRequest(1);
    private final ReceiveWorkRequest receive = new ReceiveWorkRequest(0);
    private final WorkCompletions wc;
    private final int length;

    PingPong(final RcEndpoint side, final MemoryRegion remote, final int length) throws VerbsException
    {
        this.side = side;
        this.qp = side.qp;
        this.length = length;
        this.wc = side.wc;
        this.local = side.register(Math.max(64, length), Access.LOCAL_WRITE | Access.REMOTE_WRITE);
        send.opcode(WrOpcode.RDMA_WRITE_WITH_IMM).flags(SendFlags.SIGNALED).remote(remote.address(), remote.rkey());
        send.sgl().add(local, 0, length);
    }

    /** @param pair a connected pair. @param length bytes per message. @return the client and server sides. */
    static PingPong[] of(final RcPair pair, final int length) throws VerbsException
    {
        final MemoryRegion clientTarget = pair.client.register(Math.max(64, length), Access.LOCAL_WRITE |
            Access.REMOTE_WRITE);
        final MemoryRegion serverTarget = pair.server.register(Math.max(64, length), Access.LOCAL_WRITE |
            Access.REMOTE_WRITE);
        return new PingPong[] {
            new PingPong(pair.client, serverTarget, length), new PingPong(pair.server, clientTarget, length)};
    }

    void postReceives(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            check(qp.postReceive(receive.wrId(i)), "postReceive");
        }
    }

    /** Sends one message and counts its send completion. */
    void send(final int seq)
    {
        send.wrId(seq).immData(seq);
        check(qp.postSend(send), "postSend");
    }

    /** Busy-polls until the next message arrives and the own send has completed; reposts the receive. */
    int awaitMessage(final boolean expectSendCompletion)
    {
        boolean received = false;
        boolean sent = !expectSendCompletion;
        int imm = 0;
        while (!received || !sent)
        {
            final int n = side.recvCq.poll(wc);
            if (0 == n)
            {
                // Two spinning threads and a reactor share few CPUs in tests: give the others a turn.
                Thread.yield();
            }
            for (int i = 0; i < n; i++)
            {
                if (WcStatus.SUCCESS.code() != wc.statusCode(i))
                {
                    throw new AssertionError("completion failed: " + wc.status(i));
                }
                if (wc.opcodeCode(i) >= 128)
                {
                    imm = wc.immData(i);
                    received = true;
                    check(qp.postReceive(receive), "postReceive");
                }
                else
                {
                    sent = true;
                }
            }
            if (side.sendCq != side.recvCq && !sent)
            {
                final int m = side.sendCq.poll(wc);
                for (int i = 0; i < m; i++)
                {
                    if (WcStatus.SUCCESS.code() != wc.statusCode(i))
                    {
                        throw new AssertionError("send failed: " + wc.status(i));
                    }
                    sent = true;
                }
            }
        }
        return imm;
    }

    private static void check(final int rc, final String what)
    {
        if (0 != rc)
        {
            throw new AssertionError(what + " returned " + rc);
        }
    }

    /** Runs the echo side for {@code count} messages. */
    void echo(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final int imm = awaitMessage(false);
            send(imm);
            if (i > 0)
            {
                drainSendCompletions();
            }
        }
        drainSendCompletions();
    }

    private void drainSendCompletions()
    {
        if (side.sendCq != side.recvCq)
        {
            side.sendCq.poll(wc);
        }
    }

    /**
     * Client side: {@code count} round trips.
     *
     * @return elapsed nanoseconds.
     */
    long rounds(final int count)
    {
        final long start = System.nanoTime();
        for (int i = 0; i < count; i++)
        {
            send(i);
            final int imm = awaitMessage(true);
            if (imm != i)
            {
                throw new AssertionError("expected immediate " + i + " got " + imm);
            }
        }
        return System.nanoTime() - start;
    }
}
