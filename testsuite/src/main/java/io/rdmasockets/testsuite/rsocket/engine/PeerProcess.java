package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.rsocket.engine.StreamRsocket;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.verbs.Verbs;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A child JVM for the suites: an rsocket on the provider named by its first argument listens on the test
 * address, prints {@code LISTENING <port>}, accepts one connection, prints {@code CONNECTED}, then, until
 * killed, does what its second argument says: {@code idle} (nothing), {@code send} (writes without end)
 * or {@code sink} (reads and discards).
 */
public final class PeerProcess
{
    private PeerProcess()
    {
    }

    /**
     * @param args the provider name, then {@code idle}, {@code send} or {@code sink} (default idle).
     * @throws Exception on any failure (printed by the JVM; the parent sees no CONNECTED).
     */
    public static void main(final String[] args) throws Exception
    {
        final String mode = args.length > 1 ? args[1] : "idle";
        try (StreamRsocket listener = StreamRsocket.open(Verbs.provider(args[0]).orElseThrow(), Pair.CONFIG))
        {
            listener.bind(new InetSocketAddress(AbstractVerbsTest.testAddress(), 0));
            listener.listen(1);
            System.out.println("LISTENING " + listener.localAddress().getPort());
            System.out.flush();
            try (StreamRsocket server = listener.accept())
            {
                System.out.println("CONNECTED " + server.peerAddress());
                System.out.flush();
                final MemorySegment buf = MemorySegment.ofArray(new byte[64 << 10]);
                int rc = 0;
                while (rc >= 0)
                {
                    rc = switch (mode)
                    {
                        case "send" -> server.send(buf, 0, (int)buf.byteSize(), 0);
                        case "sink" -> server.recv(buf, 0, (int)buf.byteSize(), 0);
                        default ->
                        {
                            Thread.sleep(Long.MAX_VALUE);
                            yield 0;
                        }
                    };
                }
                System.out.println("ENDED " + rc);
            }
        }
    }
}
