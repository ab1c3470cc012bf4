package io.rdmasockets.tools;

import io.rdmasockets.common.Errno;
import io.rdmasockets.tools.verbs.Completion;
import io.rdmasockets.tools.verbs.Endpoint;
import io.rdmasockets.tools.verbs.LoopbackConnection;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;

/**
 * {@code rsock demo-verbs}: a server and a client in one process on loopback, narrating each verbs step and
 * checking its outcome: connection with private data, RDMA_WRITE_WITH_IMM, SEND/RECV, RDMA_READ, CRC32C
 * on both sides, a short throughput burst, a bad-rkey write rejected with REM_ACCESS_ERR (target memory
 * unchanged), and disconnect. Exits 0 only when every check passed.
 */
@Command(
    name = "demo-verbs",
    mixinStandardHelpOptions = true,
    header = "Narrated verbs walk-through on loopback: connect, write, send, read, protection, disconnect.",
    description = {
        "Run a verbs server and client in one process on 127.0.0.1 and narrate each step: connect with " +
        "private data, RDMA_WRITE_WITH_IMM, SEND/RECV, RDMA_READ, CRC32C on both sides, a bad-rkey write " +
        "(REM_ACCESS_ERR), disconnect, and a short throughput burst. Exit status 0 only if every check passed."})
public final class VerbsDemoCommand implements Callable<Integer>
{
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final long REGION_SIZE = 1 << 20;
    private static final int PAYLOAD = 4096;
    // Client region layout: payload, read-back area, receive area, throughput source.
    private static final long C_PAYLOAD = 0;
    private static final long C_READ_BACK = 4096;
    private static final long C_RECV = 8192;
    private static final long C_BURST = 65536;
    // Server region layout: write target, send source, throughput ring.
    private static final long S_TARGET = 0;
    private static final long S_SEND = 8192;
    private static final long S_RING = 262144;
    private static final int MESSAGE_MAX = 256;
    private static final int IMM = 0xC0FFEE01;
    private static final int BURST_SIZE = 65536;
    private static final int BURST_WINDOW = 16;

    @Mixin
    ProviderOption provider;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port to listen on (default: any free one).")
    int port;

    @Option(names = "--burst", paramLabel = "DURATION", converter = DurationConverter.class,
        description = "Length of the throughput burst (default: ${DEFAULT-VALUE}).", defaultValue = "250ms")
    Duration burst;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int checks;
    private int failures;
    private int stepNumber;

    @Override
    public Integer call() throws VerbsException
    {
        out = spec.commandLine().getOut();
        final VerbsProvider p = provider.resolve();
        final long start = System.nanoTime();
        out.printf(Locale.ROOT, "rsock demo-verbs: verbs provider '%s' (priority %d), server and client on loopback%n",
            p.name(), p.priority());
        final int access = Access.LOCAL_WRITE | Access.REMOTE_WRITE | Access.REMOTE_READ;
        final LoopbackConnection.Spec connSpec = new LoopbackConnection.Spec(REGION_SIZE, access, 64, 16, 0, 4);

        step("Connect (rdma_cm): each side registers 1 MiB and sends {addr, rkey, len} as private data");
        try (LoopbackConnection conn = LoopbackConnection.open(p, port, connSpec, this::narrate))
        {
            check(true, "connected; each side knows the other's region");
            final Endpoint client = conn.client();
            final Endpoint server = conn.server();
            final WorkCompletions cwc = new WorkCompletions(16, client.arena());
            final WorkCompletions swc = new WorkCompletions(16, server.arena());
            final SendWorkRequest wr = new SendWorkRequest();
            final ReceiveWorkRequest rwr = new ReceiveWorkRequest();

            final long clientCrc = writeWithImm(client, server, cwc, swc, wr, rwr);
            sendRecv(client, server, cwc, wr, rwr, clientCrc);
            rdmaRead(client, cwc, wr, clientCrc);
            burst(client, cwc, wr);
            badRkey(client, server, cwc, wr);

            step("Disconnect (rdma_disconnect)");
            boolean both;
            try
            {
                both = conn.disconnect();
            }
            catch (final VerbsException ex)
            {
                narrate("client: " + ex.getMessage());
                both = false;
            }
            check(both, "both sides saw DISCONNECTED");
        }
        catch (final ToolException ex)
        {
            // A step that could not even complete (timeout, unexpected event) is a failed check.
            check(false, ex.getMessage());
        }

        out.println();
        out.printf(Locale.ROOT, "%s: %d of %d checks passed in %d ms%n", 0 == failures ? "PASSED" : "FAILED",
            checks - failures, checks, (System.nanoTime() - start) / 1_000_000);
        out.flush();
        return 0 == failures ? 0 : Rsock.EXIT_FAILURE;
    }

    private long writeWithImm(
        final Endpoint client, final Endpoint server, final WorkCompletions cwc, final WorkCompletions swc,
        final SendWorkRequest wr, final ReceiveWorkRequest rwr)
    {
        step("RDMA_WRITE_WITH_IMM: client writes " + PAYLOAD + " random bytes into the server's region");
        final MemorySegment payload = client.mr().segment().asSlice(C_PAYLOAD, PAYLOAD);
        final SplittableRandom random = new SplittableRandom(42);
        for (long i = 0; i < PAYLOAD; i++)
        {
            payload.set(ValueLayout.JAVA_BYTE, i, (byte)random.nextInt());
        }
        final long clientCrc = crc32c(payload);
        post(server, rwr.reset().wrId(1));
        narrate("server: posted a receive (no buffer: the data goes where the writer puts it)");
        wr.reset().wrId(10).opcode(WrOpcode.RDMA_WRITE_WITH_IMM).flags(SendFlags.SIGNALED).immData(IMM)
            .remote(client.peer().address() + S_TARGET, client.peer().rkey());
        wr.sgl().add(client.mr(), C_PAYLOAD, PAYLOAD);
        post(client, wr);
        narrate(String.format("client: posted RDMA_WRITE_WITH_IMM imm=0x%08x to addr=0x%x rkey=0x%08x, CRC32C=0x%08x",
            IMM, client.peer().address(), client.peer().rkey(), clientCrc));
        final Completion sent = client.awaitCompletion(cwc, TIMEOUT);
        narrate("client: send completion " + sent);
        final Completion received = server.awaitCompletion(swc, TIMEOUT);
        narrate("server: receive completion " + received);
        final long serverCrc = crc32c(server.mr().segment().asSlice(S_TARGET, PAYLOAD));
        check(sent.status() == WcStatus.SUCCESS && received.status() == WcStatus.SUCCESS &&
            received.opcode() == WcOpcode.RECV_RDMA_WITH_IMM && received.hasImm() && received.immData() == IMM,
            String.format("server got RECV_RDMA_WITH_IMM with imm=0x%08x", received.immData()));
        check(serverCrc == clientCrc, String.format("CRC32C of the written bytes: client 0x%08x, server 0x%08x",
            clientCrc, serverCrc));
        return clientCrc;
    }

    private void sendRecv(
        final Endpoint client, final Endpoint server, final WorkCompletions cwc, final SendWorkRequest wr,
        final ReceiveWorkRequest rwr, final long clientCrc)
    {
        step("SEND/RECV: the server answers with a message into the client's posted receive buffer");
        rwr.reset().wrId(2).sgl().add(client.mr(), C_RECV, MESSAGE_MAX);
        post(client, rwr);
        narrate("client: posted a " + MESSAGE_MAX + "-byte receive buffer");
        final long serverCrc = crc32c(server.mr().segment().asSlice(S_TARGET, PAYLOAD));
        final byte[] message = String.format("got %d bytes, crc32c=0x%08x", PAYLOAD, serverCrc)
            .getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(MemorySegment.ofArray(message), 0, server.mr().segment(), S_SEND, message.length);
        wr.reset().wrId(20).opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED);
        wr.sgl().add(server.mr(), S_SEND, message.length);
        post(server, wr);
        narrate("server: posted SEND of \"" + new String(message, StandardCharsets.US_ASCII) + "\"");
        final Completion received = client.awaitCompletion(cwc, TIMEOUT);
        narrate("client: receive completion " + received);
        final Completion sent = server.awaitCompletion(new WorkCompletions(1, server.arena()), TIMEOUT);
        narrate("server: send completion " + sent);
        final int length = Math.max(0, Math.min(received.byteLength(), MESSAGE_MAX));
        final String text = new String(client.mr().segment().asSlice(C_RECV, length).toArray(ValueLayout.JAVA_BYTE),
            StandardCharsets.US_ASCII);
        final String expected = String.format("crc32c=0x%08x", clientCrc);
        check(received.status() == WcStatus.SUCCESS && received.opcode() == WcOpcode.RECV &&
            sent.status() == WcStatus.SUCCESS && text.endsWith(expected),
            "client received \"" + text + "\": matches its own CRC32C");
    }

    private void rdmaRead(final Endpoint client, final WorkCompletions cwc, final SendWorkRequest wr, final long crc)
    {
        step("RDMA_READ: the client reads the " + PAYLOAD + " bytes back from the server's region");
        wr.reset().wrId(30).opcode(WrOpcode.RDMA_READ).flags(SendFlags.SIGNALED)
            .remote(client.peer().address() + S_TARGET, client.peer().rkey());
        wr.sgl().add(client.mr(), C_READ_BACK, PAYLOAD);
        post(client, wr);
        final Completion read = client.awaitCompletion(cwc, TIMEOUT);
        narrate("client: completion " + read);
        final long readCrc = crc32c(client.mr().segment().asSlice(C_READ_BACK, PAYLOAD));
        check(read.status() == WcStatus.SUCCESS && read.opcode() == WcOpcode.RDMA_READ && readCrc == crc,
            String.format("read back %d bytes with CRC32C 0x%08x (written: 0x%08x)", read.byteLength(), readCrc, crc));
    }

    private void burst(final Endpoint client, final WorkCompletions cwc, final SendWorkRequest wr)
    {
        step("Throughput: client streams " + Units.sizeStr(BURST_SIZE) + " RDMA_WRITEs (window " + BURST_WINDOW +
            ") for " + Units.durationStr(burst));
        final int slots = (int)((REGION_SIZE - S_RING) / BURST_SIZE);
        final long deadline = System.nanoTime() + burst.toNanos();
        final long start = System.nanoTime();
        long posted = 0;
        long completed = 0;
        WcStatus error = null;
        while (null == error)
        {
            final boolean open = System.nanoTime() - deadline < 0;
            while (open && posted - completed < BURST_WINDOW)
            {
                wr.reset().wrId(posted).opcode(WrOpcode.RDMA_WRITE).flags(SendFlags.SIGNALED)
                    .remote(client.peer().address() + S_RING + (posted % slots) * BURST_SIZE, client.peer().rkey());
                wr.sgl().add(client.mr(), C_BURST, BURST_SIZE);
                post(client, wr);
                posted++;
            }
            if (!open && completed == posted)
            {
                break;
            }
            final int n = client.cq().poll(cwc);
            for (int i = 0; i < n; i++)
            {
                if (cwc.status(i) != WcStatus.SUCCESS)
                {
                    error = cwc.status(i);
                }
            }
            completed += Math.max(0, n);
        }
        final long nanos = System.nanoTime() - start;
        final long bytes = completed * BURST_SIZE;
        if (null != error)
        {
            check(false, "a write completed with " + error);
            return;
        }
        narrate(String.format(Locale.ROOT, "client: %s writes, %s in %.3f s: %.2f Gb/s (%s)", Units.cntStr(completed),
            Units.sizeStr(bytes), nanos / 1e9, Units.gbitsPerSecond(bytes, nanos), Units.bytesPerSecond(bytes, nanos)));
    }

    private void badRkey(
        final Endpoint client, final Endpoint server, final WorkCompletions cwc, final SendWorkRequest wr)
    {
        step("Protection: the client writes with a wrong rkey; the server's memory must not change");
        final MemorySegment target = server.mr().segment().asSlice(S_TARGET, PAYLOAD);
        final long before = crc32c(target);
        final int badRkey = client.peer().rkey() ^ 0x5A5A5A5A;
        client.mr().segment().asSlice(C_PAYLOAD, PAYLOAD).fill((byte)0xFF);
        wr.reset().wrId(40).opcode(WrOpcode.RDMA_WRITE).flags(SendFlags.SIGNALED)
            .remote(client.peer().address() + S_TARGET, badRkey);
        wr.sgl().add(client.mr(), C_PAYLOAD, PAYLOAD);
        post(client, wr);
        narrate(String.format("client: posted RDMA_WRITE of %d x 0xff with rkey=0x%08x (the region's is 0x%08x)",
            PAYLOAD, badRkey, client.peer().rkey()));
        final Completion c = client.awaitCompletion(cwc, TIMEOUT);
        narrate("client: completion " + c + "; QPs are now client " + client.qp().state() + ", server " +
            server.qp().state() + " (a protection error is fatal to the connection, as in RC)");
        final long after = crc32c(target);
        check(c.status() == WcStatus.REM_ACCESS_ERR, c.status() == WcStatus.REM_ACCESS_ERR ?
            "write rejected with REM_ACCESS_ERR" : "expected REM_ACCESS_ERR, got " + c.status());
        check(after == before, String.format("server memory unchanged: CRC32C 0x%08x before, 0x%08x after",
            before, after));
    }

    private static void post(final Endpoint e, final SendWorkRequest wr)
    {
        final int rc = e.qp().postSend(wr);
        if (0 != rc)
        {
            throw new ToolException(e.role() + ": postSend(" + WrOpcode.toString(wr.opcode()) + ") failed: " +
                Errno.nameOf(rc));
        }
    }

    private static void post(final Endpoint e, final ReceiveWorkRequest wr)
    {
        final int rc = e.qp().postReceive(wr);
        if (0 != rc)
        {
            throw new ToolException(e.role() + ": postReceive failed: " + Errno.nameOf(rc));
        }
    }

    private static long crc32c(final MemorySegment segment)
    {
        final CRC32C crc = new CRC32C();
        crc.update(segment.asByteBuffer());
        return crc.getValue();
    }

    private void step(final String title)
    {
        out.println();
        out.printf(Locale.ROOT, "%d. %s%n", ++stepNumber, title);
    }

    private synchronized void narrate(final String line)
    {
        out.println("     " + line);
    }

    private void check(final boolean passed, final String what)
    {
        checks++;
        if (!passed)
        {
            failures++;
        }
        out.println((passed ? "   [ok]   " : "   [FAIL] ") + what);
    }
}
