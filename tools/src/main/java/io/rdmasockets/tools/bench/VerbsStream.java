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

import java.time.Duration;

/**
 * Streaming throughput over a provider: the client keeps a window of RDMA_WRITE_WITH_IMMs outstanding
 * into a ring of slots in the server's region; the server busy-polls its receive completions and
 * reposts each receive. Every {@code window / 4}th write is signaled; its completion frees the window up
 * to it. A write with immediate {@value #END} ends the run; the server's count is checked against the
 * client's. Nothing in the loops allocates.
 */
final class VerbsStream
{
    private static final int END = -1;
    private static final long STALL_NANOS = Duration.ofSeconds(10).toNanos();

    private VerbsStream()
    {
    }

    /**
     * @param provider the provider.
     * @param size     bytes per write.
     * @param window   writes outstanding at once.
     * @param warmup   the warm-up phase, not measured.
     * @param measure  the measured phase.
     * @param idle     what pollers do on an empty poll.
     * @return the measured phase.
     * @throws Exception when a verb or the peer fails.
     */
    static ThroughputResult run(
        final VerbsProvider provider, final int size, final int window, final Phase warmup, final Phase measure,
        final IdleStrategy idle) throws Exception
    {
        final int slots = 2 * window;
        final LoopbackConnection.Spec spec = new LoopbackConnection.Spec((long)slots * size,
            Access.LOCAL_WRITE | Access.REMOTE_WRITE, 2 * window, 2 * window, 2 * window, 0);
        try (LoopbackConnection conn = LoopbackConnection.open(provider, 0, spec, line -> { }))
        {
            final Endpoint server = conn.server();
            final PeerThread<Long> sink = new PeerThread<>("rsock-verbs-sink", () -> sink(server, idle)).start();
            final Sender sender = new Sender(conn.client(), size, window, slots, sink);
            if (!warmup.isEmpty())
            {
                sender.phase(warmup, idle);
            }
            final long posted = sender.posted;
            final long start = System.nanoTime();
            sender.phase(measure, idle);
            final long nanos = System.nanoTime() - start;
            final long messages = sender.posted - posted;
            sender.post(END, true);
            final long received = sink.join(Duration.ofSeconds(30));
            if (received != sender.posted - 1)
            {
                throw new ToolException("server received " + received + " writes, client sent " + (sender.posted - 1));
            }
            return new ThroughputResult(messages, messages * size, nanos);
        }
    }

    /** @return the writes received before the end marker. */
    private static Long sink(final Endpoint server, final IdleStrategy idle)
    {
        final WorkCompletions wcs = new WorkCompletions(64, server.arena());
        final ReceiveWorkRequest receive = new ReceiveWorkRequest(1);
        long count = 0;
        long idleSince = 0;
        while (true)
        {
            final int n = server.cq().poll(wcs);
            if (n < 0)
            {
                throw new ToolException("server: poll failed: " + Errno.nameOf(n));
            }
            for (int i = 0; i < n; i++)
            {
                if (wcs.statusCode(i) != WcStatus.SUCCESS.code())
                {
                    throw new ToolException("server: receive completed with " + wcs.status(i));
                }
                if (wcs.opcodeCode(i) == WcOpcode.RECV_RDMA_WITH_IMM.code())
                {
                    if (END == wcs.immData(i))
                    {
                        return count;
                    }
                    count++;
                    final int rc = server.qp().postReceive(receive);
                    if (0 != rc)
                    {
                        throw new ToolException("server: postReceive failed: " + Errno.nameOf(rc));
                    }
                }
            }
            if (0 == n)
            {
                final long now = System.nanoTime();
                if (0 == idleSince)
                {
                    idleSince = now;
                }
                else if (now - idleSince > STALL_NANOS)
                {
                    throw new ToolException("server: no write arrived for " + STALL_NANOS / 1_000_000_000L + " s");
                }
                idle.idle();
            }
            else
            {
                idleSince = 0;
            }
        }
    }

    /** The client's window of writes, with reusable request and completion array. */
    private static final class Sender
    {
        private final Endpoint endpoint;
        private final SendWorkRequest write = new SendWorkRequest(1);
        private final WorkCompletions wcs;
        private final int window;
        private final int slots;
        private final int signalEvery;
        private final long ringAddress;
        private final int size;
        private final PeerThread<?> peer;
        long posted;
        long completed;

        Sender(final Endpoint endpoint, final int size, final int window, final int slots, final PeerThread<?> peer)
        {
            this.endpoint = endpoint;
            this.size = size;
            this.window = window;
            this.slots = slots;
            this.peer = peer;
            this.signalEvery = Math.max(1, window / 4);
            this.ringAddress = endpoint.peer().address();
            this.wcs = new WorkCompletions(64, endpoint.arena());
            write.opcode(WrOpcode.RDMA_WRITE_WITH_IMM).remote(ringAddress, endpoint.peer().rkey());
            write.sgl().add(endpoint.mr(), 0, size);
        }

        /** Streams until the phase ends, then until every write has completed. */
        void phase(final Phase phase, final IdleStrategy idle)
        {
            final long start = System.nanoTime();
            final long first = posted;
            boolean open = true;
            long idleSince = 0;
            while (open || completed != posted)
            {
                // A phase ends on a signaled write, or the unsignaled ones before it would never complete.
                open = 0 != posted % signalEvery || phase.running(start, posted - first);
                while (open && posted - completed < window)
                {
                    final int slot = (int)(posted % slots);
                    post(slot, signalEvery - 1 == posted % signalEvery);
                    open = 0 != posted % signalEvery || phase.running(start, posted - first);
                }
                final int n = endpoint.cq().poll(wcs);
                if (n < 0)
                {
                    throw new ToolException("client: poll failed: " + Errno.nameOf(n));
                }
                for (int i = 0; i < n; i++)
                {
                    if (wcs.statusCode(i) != WcStatus.SUCCESS.code())
                    {
                        throw new ToolException("client: write " + wcs.wrId(i) + " completed with " + wcs.status(i));
                    }
                    completed = wcs.wrId(i) + 1;   // a signaled completion frees every write up to it
                }
                if (0 == n)
                {
                    final long now = System.nanoTime();
                    if (0 == idleSince)
                    {
                        idleSince = now;
                    }
                    else if (now - idleSince > STALL_NANOS)
                    {
                        peer.throwIfFailed();
                        throw endpoint.stall("no completion for " + STALL_NANOS / 1_000_000_000L + " s");
                    }
                    idle.idle();
                }
                else
                {
                    idleSince = 0;
                }
            }
        }

        void post(final int imm, final boolean signaled)
        {
            final long slot = imm < 0 ? 0 : imm;
            write.wrId(posted).immData(imm).flags(signaled ? SendFlags.SIGNALED : 0)
                .remote(ringAddress + slot * size, endpoint.peer().rkey());
            final int rc = endpoint.qp().postSend(write);
            if (0 != rc)
            {
                throw new ToolException("client: postSend failed: " + Errno.nameOf(rc));
            }
            posted++;
        }
    }
}
