package io.rdmasockets.testsuite.rsocket.engine;

import io.rdmasockets.rsocket.protocol.ConnDataDescriptor;
import io.rdmasockets.rsocket.protocol.ConnDataFlyweight;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcEndpoint;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.ConnectionParameters;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;

/**
 * A hostile peer on the raw verbs SPI that speaks just enough rsocket to connect (valid connection
 * data with its own target SGL and ring registered, receives posted), then sends whatever a test says.
 */
final class RawPeer implements AutoCloseable
{
    static final int RING = 8192;

    final RcEndpoint ep;
    /** The Java side's first receive half and the credits it granted. */
    long peerData;
    int peerKey;
    int peerCredits;

    private RawPeer(final RcEndpoint ep)
    {
        this.ep = ep;
    }

    /**
     * @param provider   the provider under test.
     * @param to         the listener.
     * @param sendDepth  send queue entries (more than the peer's credits to overrun them).
     * @return a connected raw peer.
     */
    static RawPeer connect(final VerbsProvider provider, final InetSocketAddress to, final int sendDepth) throws Exception
    {
        final int receives = 64;
        final RawPeer raw = new RawPeer(RcEndpoint.resolve(provider, to,
            PairSpec.defaults().queueDepth(sendDepth, receives).sge(1, 1).maxInlineData(0)));
        try
        {
            final MemoryRegion target = raw.ep.register(4096, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            final MemoryRegion ring = raw.ep.register(RING, Access.LOCAL_WRITE | Access.REMOTE_WRITE);
            for (int i = 0; i < receives; i++)
            {
                raw.ep.postEmptyReceive(Long.MIN_VALUE | i);
            }
            final byte[] cd = new byte[ConnDataDescriptor.LENGTH];
            final ConnDataFlyweight f = new ConnDataFlyweight().wrap(MemorySegment.ofArray(cd), 0);
            f.version(ConnDataDescriptor.VERSION).flags(0).credits(receives).clearReserved().targetIomapSizeScale(0);
            f.targetSgl().set(target.address(), target.rkey(), 2);
            f.dataBuf().set(ring.address(), ring.rkey(), RING / 2);
            raw.ep.id.connect(new ConnectionParameters(cd, 0, 0, true, 7, ConnectionParameters.RNR_RETRY_INFINITE));
            final CmEvent ev = raw.ep.events.await(CmEventType.ESTABLISHED, raw.ep.id, Duration.ofSeconds(10));
            final ConnDataFlyweight peer = new ConnDataFlyweight().wrap(MemorySegment.ofArray(ev.privateData()), 0);
            raw.peerData = peer.dataBuf().address();
            raw.peerKey = peer.dataBuf().key();
            raw.peerCredits = peer.credits();
            return raw;
        }
        catch (final Exception | Error e)
        {
            raw.close();
            throw e;
        }
    }

    /** @param imm the immediate of a 0-byte RDMA write into the peer's ring. */
    void sendImmediate(final int imm)
    {
        ep.post(imm & 0xFFFF_FFFFL, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, null, 0, 0, peerData, peerKey, imm);
    }

    /** C's keepalive: a 0-byte RDMA write without immediate to address 0, rkey 0. */
    void sendKeepalive()
    {
        ep.post(1, WrOpcode.RDMA_WRITE, SendFlags.SIGNALED, null, 0, 0, 0, 0, 0);
    }

    /** @param b one data byte, written into the peer's ring at its start with {@code DATA 1}. */
    void sendByte(final MemoryRegion src, final byte b)
    {
        src.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, b);
        ep.post(2, WrOpcode.RDMA_WRITE_WITH_IMM, SendFlags.SIGNALED, src, 0, 1, peerData, peerKey, 1);
    }

    @Override
    public void close()
    {
        ep.close();
    }
}
