package io.rdmasockets.testsuite.peer;

import io.rdmasockets.testsuite.Listener;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEventType;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The peer a test kills: connects to {@code address:port} with provider {@code name}, prints
 * {@code CONNECTED}, then streams 1 KiB SENDs (flow-controlled by the test's receives through RNR
 * waits) and prints {@code STREAMING} after the first completes. It never posts a receive, so the
 * test's own sends stay outstanding. It exits by itself after 60 s in case nobody kills it.
 *
 * <p>With a fourth argument {@code listen} it listens on {@code address} (port 0, printed as
 * {@code LISTENING <port>}) and accepts one connection instead of connecting.
 *
 * <pre>java ... io.rdmasockets.testsuite.peer.RemotePeer tcp 127.0.0.1 40000 [listen]</pre>
 */
public final class RemotePeer
{
    /** Bytes of each SEND. */
    public static final int MESSAGE_LENGTH = 1024;

    private RemotePeer()
    {
    }

    /**
     * @param args provider name, address, port, optionally {@code listen}.
     * @throws Exception on any failure (the exit code is then non-zero).
     */
    public static void main(final String[] args) throws Exception
    {
        final VerbsProvider provider = Verbs.provider(args[0])
            .orElseThrow(() -> new IllegalArgumentException("no provider " + args[0]));
        final InetSocketAddress destination = new InetSocketAddress(InetAddress.getByName(args[1]),
            Integer.parseInt(args[2]));
        final long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        final PairSpec spec = PairSpec.defaults().queueDepth(64, 16);
        final RcEndpoint client;
        if (args.length > 3 && "listen".equals(args[3]))
        {
            // Passive: the test connects to us; the listener stays open until we are killed.
            final Listener listener = Listener.open(provider, destination.getAddress(), 0, 1);
            System.out.println("LISTENING " + listener.address.getPort());
            client = listener.acceptNext(spec);
        }
        else
        {
            client = RcEndpoint.resolve(provider, destination, spec);
            client.id.connect(spec.connectParameters());
            client.events.await(CmEventType.ESTABLISHED, client.id, Duration.ofSeconds(10));
        }
        System.out.println("CONNECTED");
        final MemoryRegion src = client.registerFilled(MESSAGE_LENGTH, Access.LOCAL_WRITE, 42);
        long posted = 0;
        long completed = 0;
        boolean streaming = false;
        while (System.nanoTime() < endNs)
        {
            // Keep up to 32 outstanding, every 8th signaled.
            while (posted - completed < 32)
            {
                client.post(posted, WrOpcode.SEND, 7 == (posted & 7) ? SendFlags.SIGNALED : 0, src, 0,
                    MESSAGE_LENGTH, 0, 0, 0);
                posted++;
            }
            final int n = client.sendCq.poll(client.wc);
            for (int i = 0; i < n; i++)
            {
                if (!client.wc.status(i).equals(WcStatus.SUCCESS))
                {
                    System.out.println("ERROR " + client.wc.status(i));
                    System.exit(3);
                }
                completed = client.wc.wrId(i) + 1;
                if (!streaming)
                {
                    streaming = true;
                    System.out.println("STREAMING");
                }
            }
            if (0 == n)
            {
                Tests.idle();
            }
        }
        System.out.println("TIMEOUT nobody killed me");
        System.exit(2);
    }
}
