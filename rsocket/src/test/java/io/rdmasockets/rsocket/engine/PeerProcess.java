package io.rdmasockets.rsocket.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A child JVM for the tests: an rsocket that listens on loopback, prints {@code LISTENING <port>},
 * accepts one connection, prints {@code CONNECTED}, then idles until killed.
 */
public final class PeerProcess
{
    private PeerProcess()
    {
    }

    /**
     * @param args none.
     * @throws Exception on any failure (printed by the JVM; the parent sees no CONNECTED).
     */
    public static void main(final String[] args) throws Exception
    {
        try (StreamRsocket listener = StreamRsocket.open(Pair.PROVIDER, Pair.CONFIG))
        {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listener.listen(1);
            System.out.println("LISTENING " + listener.localAddress().getPort());
            System.out.flush();
            try (StreamRsocket server = listener.accept())
            {
                System.out.println("CONNECTED " + server.peerAddress());
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
