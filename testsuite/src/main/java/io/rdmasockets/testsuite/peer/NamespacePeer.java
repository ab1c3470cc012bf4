package io.rdmasockets.testsuite.peer;

import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.testsuite.Wc;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WcOpcode;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One side of the two-namespace scenario, run in its own network namespace:
 * CM connect with private data both ways, RDMA_WRITE_WITH_IMM, RDMA_READ, SEND, a write with a bad rkey
 * (REM_ACCESS_ERR, target unchanged), disconnect. Prints one result line per step, e.g.
 * {@code SERVER send ok}; exits 0 when every step passed, 1 after printing {@code FAIL ...}.
 *
 * <pre>java ... io.rdmasockets.testsuite.peer.NamespacePeer server|client PROVIDER SERVER_ADDRESS PORT</pre>
 */
public final class NamespacePeer
{
    /** What the client sends as connect private data (50 bytes, padded by the CM to 56). */
    static final byte[] HELLO = Arrays.copyOf("rdmasockets two-namespace hello from the client..."
        .getBytes(StandardCharsets.US_ASCII), 50);
    static final int IMM = 0x00C0FFEE;
    static final int LENGTH = 4096;
    static final Duration STEP = Duration.ofSeconds(20);

    private NamespacePeer()
    {
    }

    /**
     * @param args {@code server|client}, provider name, the server's address, port.
     */
    public static void main(final String[] args)
    {
        final String role = args[0].toUpperCase(java.util.Locale.ROOT);
        try
        {
            final VerbsProvider provider = Verbs.provider(args[1])
                .orElseThrow(() -> new IllegalArgumentException("no provider " + args[1]));
            provider.ensureAvailability();
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(args[2]),
                Integer.parseInt(args[3]));
            if ("SERVER".equals(role))
            {
                server(provider, address);
            }
            else
            {
                client(provider, address);
            }
            System.out.println(role + " done");
            System.out.flush();
            System.exit(0);
        }
        catch (final Throwable t)
        {
            System.out.println("FAIL " + role + " " + t);
            t.printStackTrace(System.out);
            System.out.flush();
            System.exit(1);
        }
    }

    private static void server(final VerbsProvider provider, final InetSocketAddress address) throws Exception
    {
        try (Listener listener = Listener.open(provider, address.getAddress(), address.getPort(), 4))
        {
            System.out.println("SERVER listening " + listener.address);
            final CmEvent request = listener.awaitRequest(Duration.ofSeconds(60));
            assertArrayEquals(HELLO, Arrays.copyOf(request.privateData(), HELLO.length), "connect private data");
            System.out.println("SERVER connect-private-data ok");
            final PairSpec spec = PairSpec.defaults();
            try (RcEndpoint server = RcEndpoint.forRequest(listener, request, spec))
            {
                final MemoryRegion target = server.register(LENGTH, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
                final MemoryRegion readable = server.registerFilled(LENGTH, Access.REMOTE_READ, 7);
                final MemoryRegion recv = server.register(256, Access.LOCAL_WRITE);
                server.postEmptyReceive(1);
                server.postReceive(2, recv, 0, 256);
                server.postReceive(3, recv, 0, 256);
                final ByteBuffer keys = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN)
                    .putLong(target.address()).putInt(target.rkey()).putLong(readable.address())
                    .putInt(readable.rkey());
                server.id.accept(spec.acceptData(keys.array()).acceptParameters());
                listener.events.await(CmEventType.ESTABLISHED, server.id, STEP);
                System.out.println("SERVER established");

                final Wc write = Tests.pollExactly(server.recvCq, server.wc, 1, STEP, "receive").getFirst();
                assertEquals(WcOpcode.RECV_RDMA_WITH_IMM, write.opcode(), write::toString);
                assertEquals(IMM, write.immData(), write::toString);
                Tests.assertPattern(target.segment(), 5, "written data");
                System.out.println("SERVER write-with-imm ok");

                final Wc send = Tests.pollExactly(server.recvCq, server.wc, 1, STEP, "receive").getFirst();
                assertEquals(WcStatus.SUCCESS, send.status(), send::toString);
                assertEquals(100, send.byteLength(), send::toString);
                Tests.assertPattern(recv.segment().asSlice(0, 100), 6, "sent data");
                System.out.println("SERVER send ok");

                final Wc flushed = Tests.pollExactly(server.recvCq, server.wc, 1, STEP, "receive").getFirst();
                assertEquals(WcStatus.WR_FLUSH_ERR, flushed.status(), flushed::toString);
                Tests.assertPattern(target.segment(), 5, "target after the bad-rkey write");
                System.out.println("SERVER qp-error ok");

                listener.events.await(CmEventType.DISCONNECTED, server.id, STEP);
                System.out.println("SERVER disconnected");
            }
        }
    }

    private static void client(final VerbsProvider provider, final InetSocketAddress address) throws Exception
    {
        final PairSpec spec = PairSpec.defaults().connectData(HELLO);
        try (RcEndpoint client = RcEndpoint.resolve(provider, address, spec))
        {
            client.id.connect(spec.connectParameters());
            final CmEvent established = client.events.await(CmEventType.ESTABLISHED, client.id, STEP);
            final ByteBuffer keys = ByteBuffer.wrap(established.privateData()).order(ByteOrder.BIG_ENDIAN);
            final long targetAddress = keys.getLong();
            final int targetRkey = keys.getInt();
            final long readAddress = keys.getLong();
            final int readRkey = keys.getInt();
            System.out.println("CLIENT established ok");

            final MemoryRegion src = client.registerFilled(LENGTH, Access.LOCAL_WRITE, 5);
            client.post(1, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, LENGTH, targetAddress,
                targetRkey, IMM);
            expectSuccess(client, 1);
            System.out.println("CLIENT write-with-imm ok");

            final MemoryRegion back = client.register(LENGTH, Access.LOCAL_WRITE);
            client.post(2, WrOpcode.RDMA_READ, SendFlags.SIGNALED, back, 0, LENGTH, readAddress, readRkey, 0);
            expectSuccess(client, 2);
            Tests.assertPattern(back.segment(), 7, "read data");
            System.out.println("CLIENT read ok");

            final MemoryRegion msg = client.registerFilled(100, Access.LOCAL_WRITE, 6);
            client.post(3, WrOpcode.SEND, SendFlags.SIGNALED, msg, 0, 100, 0, 0, 0);
            expectSuccess(client, 3);
            System.out.println("CLIENT send ok");

            client.post(4, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, src, 0, 64, targetAddress, targetRkey ^ 0x5A5A00,
                0);
            final Wc bad = Tests.pollExactly(client.sendCq, client.wc, 1, STEP, "send CQ").getFirst();
            assertEquals(WcStatus.REM_ACCESS_ERR, bad.status(), bad::toString);
            System.out.println("CLIENT bad-rkey " + bad.status());

            // An access error does not disconnect by itself; if the provider did, take its event instead.
            if (null == client.events.poll(e -> CmEventType.DISCONNECTED == e.type(), Duration.ofMillis(200)))
            {
                client.id.disconnect();
                client.events.await(CmEventType.DISCONNECTED, client.id, STEP);
            }
            System.out.println("CLIENT disconnected");
        }
    }

    private static void expectSuccess(final RcEndpoint client, final long wrId)
    {
        final Wc wc = Tests.pollExactly(client.sendCq, client.wc, 1, STEP, "send CQ").getFirst();
        assertEquals(WcStatus.SUCCESS, wc.status(), wc::toString);
        assertEquals(wrId, wc.wrId(), wc::toString);
    }
}
