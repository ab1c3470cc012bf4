package io.rdmasockets.tools.bench;

import io.rdmasockets.common.Errno;
import io.rdmasockets.tools.ToolException;
import io.rdmasockets.tools.verbs.Endpoint;
import io.rdmasockets.tools.verbs.IdleStrategy;
import io.rdmasockets.tools.verbs.LoopbackConnection;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;
import org.HdrHistogram.Histogram;

import java.time.Duration;

/**
 * Ping-pong latency over a provider: each side RDMA_WRITE_WITH_IMMs {@code size} bytes into the peer's
 * region, the peer busy-polls its completion queue for the receive completion and answers the same
 * way. Sends are signaled every {@value #SIGNAL_EVERY}th to keep the send queue drained, as perftest
 * does. Nothing in the loops allocates: work requests and the completion array are reused.
 */
final class VerbsPingPong
{
    /** Every this many sends one is signaled (selective signaling). */
    static final int SIGNAL_EVERY = 16;
    private static final int QUEUE_DEPTH = 64;
    private static final int RECEIVES = 32;
    private static final int END = -1;
    /** How long a side waits for a completion before declaring the run broken. */
    private static final long STALL_NANOS = Duration.ofSeconds(10).toNanos();

    private VerbsPingPong()
    {
    }

    /**
     * @param provider the provider.
     * @param size     bytes per message.
     * @param warmup   the warm-up phase, not measured.
     * @param measure  the measured phase.
     * @param idle     what pollers do on an empty poll.
     * @return the measured round trips.
     * @throws Exception when a verb or the peer fails.
     */
    static LatencyResult run(
        final VerbsProvider provider, final int size, final Phase warmup, final Phase measure, final IdleStrategy idle)
        throws Exception
    {
        // Each region: [0, size) is what this side sends, [size, 2 size) is where the peer writes.
        final LoopbackConnection.Spec spec = new LoopbackConnection.Spec(2L * size,
            Access.LOCAL_WRITE | Access.REMOTE_WRITE, QUEUE_DEPTH, QUEUE_DEPTH, RECEIVES, 0);
        try (LoopbackConnection conn = LoopbackConnection.open(provider, 0, spec, line -> { }))
        {
            final Endpoint server = conn.server();
            final PeerThread<Long> pong = new PeerThread<>("rsock-verbs-pong", () -> pong(server, size, idle)).start();
            final Endpoint client = conn.client();
            final Side ping = new Side(client, size);
            final Histogram histogram = LatencyResult.newHistogram();
            long seq = 0;
            for (long start = System.nanoTime(), done = 0; !warmup.isEmpty() && warmup.running(start, done); done++)
            {
                ping.send((int)(seq & Integer.MAX_VALUE), seq++);
                ping.awaitReceive(idle, pong);
            }
            final long start = System.nanoTime();
            long done = 0;
            while (measure.running(start, done))
            {
                final long t0 = System.nanoTime();
                ping.send((int)(seq & Integer.MAX_VALUE), seq++);
                ping.awaitReceive(idle, pong);
                histogram.recordValue(Math.min(System.nanoTime() - t0, LatencyResult.HIGHEST_NANOS));
                done++;
            }
            final long nanos = System.nanoTime() - start;
            ping.send(END, SIGNAL_EVERY - 1);   // signaled: so that it is delivered before we close
            ping.awaitSendCompletion(idle);
            pong.join(Duration.ofSeconds(10));
            return new LatencyResult(histogram, nanos);
        }
    }

    private static Long pong(final Endpoint server, final int size, final IdleStrategy idle)
    {
        final Side side = new Side(server, size);
        long count = 0;
        while (true)
        {
            final int imm = side.awaitReceive(idle, null);
            if (END == imm)
            {
                return count;
            }
            side.send(imm, count++);
        }
    }

    /** One side's reusable requests and completion array. */
    private static final class Side
    {
        private final Endpoint endpoint;
        private final SendWorkRequest write = new SendWorkRequest(1);
        private final ReceiveWorkRequest receive = new ReceiveWorkRequest(1);
        private final WorkCompletions wcs;
        private long sendCompletions;

        Side(final Endpoint endpoint, final int size)
        {
            this.endpoint = endpoint;
            this.wcs = new WorkCompletions(16, endpoint.arena());
            write.opcode(WrOpcode.RDMA_WRITE_WITH_IMM).remote(endpoint.peer().address() + size, endpoint.peer().rkey());
            write.sgl().add(endpoint.mr(), 0, size);
        }

        void send(final int imm, final long seq)
        {
            write.wrId(seq).immData(imm).flags(SIGNAL_EVERY - 1 == (seq % SIGNAL_EVERY) ? SendFlags.SIGNALED : 0);
            final int rc = endpoint.qp().postSend(write);
            if (0 != rc)
            {
                throw new ToolException(endpoint.role() + ": postSend failed: " + Errno.nameOf(rc));
            }
        }

        /** Busy-polls until a receive completes; reposts it; returns its immediate. */
        int awaitReceive(final IdleStrategy idle, final PeerThread<?> peer)
        {
            long idleSince = 0;
            while (true)
            {
                final int n = endpoint.cq().poll(wcs);
                if (n < 0)
                {
                    throw new ToolException(endpoint.role() + ": poll failed: " + Errno.nameOf(n));
                }
                int imm = 0;
                boolean received = false;
                for (int i = 0; i < n; i++)
                {
                    check(i);
                    if (wcs.opcodeCode(i) == WcOpcode.RECV_RDMA_WITH_IMM.code())
                    {
                        imm = wcs.immData(i);
                        received = true;
                        // Keep the receive queue full: one reposted for each one consumed.
                        final int rc = endpoint.qp().postReceive(receive);
                        if (0 != rc)
                        {
                            throw new ToolException(endpoint.role() + ": postReceive failed: " + Errno.nameOf(rc));
                        }
                    }
                    else
                    {
                        sendCompletions++;
                    }
                }
                if (received)
                {
                    return imm;
                }
                if (0 == n)
                {
                    idleSince = stalled(idleSince, peer);
                    idle.idle();
                }
            }
        }

        void awaitSendCompletion(final IdleStrategy idle)
        {
            final long before = sendCompletions;
            long idleSince = 0;
            while (sendCompletions == before)
            {
                final int n = endpoint.cq().poll(wcs);
                for (int i = 0; i < n; i++)
                {
                    check(i);
                    sendCompletions++;
                }
                if (n <= 0)
                {
                    idleSince = stalled(idleSince, null);
                    idle.idle();
                }
            }
        }

        private void check(final int i)
        {
            if (wcs.statusCode(i) != WcStatus.SUCCESS.code())
            {
                throw new ToolException(endpoint.role() + ": work request " + wcs.wrId(i) + " completed with " +
                    wcs.status(i));
            }
        }

        private long stalled(final long idleSince, final PeerThread<?> peer)
        {
            final long now = System.nanoTime();
            if (0 == idleSince)
            {
                return now;
            }
            if (null != peer)
            {
                peer.throwIfFailed();
            }
            if (now - idleSince > STALL_NANOS)
            {
                throw endpoint.stall("no completion for " + STALL_NANOS / 1_000_000_000L + " s");
            }
            return idleSince;
        }
    }
}
