package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.testsuite.Tests;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WrOpcode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reactor and a busy poller share a connection's reader. A poller descheduled in the middle of a read
 * holds it past its grace; the reactor then takes reading back, finds the reader taken and must wait for it
 * to be handed back, not spin on a level-triggered OP_READ or reschedule itself (which once cost thousands
 * of selects per message and a core on a two-core machine).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TcpReaderHandOffTest
{
    @AfterEach
    void clearProperties()
    {
        System.clearProperty(TcpConfiguration.POLLER_GRACE_PROP_NAME);
    }

    @Test
    void shouldNotSpinTheReactorWhileAPollerHoldsTheReaderAndReadWhenItIsHandedBack() throws Exception
    {
        System.setProperty(TcpConfiguration.POLLER_GRACE_PROP_NAME, "1000");
        try (RcPair pair = RcPair.connect(new TcpVerbsProvider(), InetAddress.getLoopbackAddress(),
            PairSpec.defaults().queueDepth(16, 16)))
        {
            final MemoryRegion src = pair.client.registerFilled(64, Access.LOCAL_WRITE, 9);
            final MemoryRegion dst = pair.server.register(64, Access.LOCAL_WRITE);
            pair.server.postReceive(1, dst, 0, 64);
            final TcpConnection server = ((TcpQueuePair)pair.server.qp).connection();
            assertEquals(0, pair.server.recvCq.poll(pair.server.wc), "nothing yet: this thread now busy-polls");
            // The reactor may be reading at this moment (the handshake's last frames): take the reader once free.
            Tests.await(() -> server.inbound().holdReaderForTest(), Duration.ofSeconds(10),
                () -> "the reader never came free");
            // The poller stalls holding the reader: past the 1 ms grace the reactor takes reading back, then
            // a message makes the socket readable.
            Thread.sleep(50);
            pair.client.post(1, WrOpcode.SEND, SendFlags.SIGNALED, src, 0, 64, 0, 0, 0);
            Thread.sleep(50);
            final Reactor reactor = server.reactor();
            final long before = reactor.iterations();
            Thread.sleep(300);
            final long iterations = reactor.iterations() - before;
            assertTrue(iterations < 100, "reactor loop iterations in 300 ms while the reader was held: " + iterations);
            assertTrue(src.segment().mismatch(dst.segment()) >= 0, "nothing placed while the reader was held");

            // Handed back without another poll: the reactor reads and places the message itself.
            server.inbound().releaseReaderForTest();
            Tests.await(() -> -1 == src.segment().mismatch(dst.segment()), Duration.ofSeconds(10),
                () -> "the reactor placed the message once the reader was handed back");
            assertEquals(WcStatus.SUCCESS, pair.server.awaitRecvCompletion().status());
            assertEquals(WcStatus.SUCCESS, pair.client.awaitSendCompletion().status());
        }
    }
}
