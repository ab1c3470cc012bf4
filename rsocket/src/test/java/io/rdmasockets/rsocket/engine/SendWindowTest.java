package io.rdmasockets.rsocket.engine;

import io.rdmasockets.rsocket.protocol.SgeFlyweight;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.*;

/** C's send-side accounting (wire-protocol doc sections 2.3 to 2.5). */
class SendWindowTest
{
    @Test
    void shouldNeverLetAMessageCrossATargetSge()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sgl = arena.allocate(32, 8);
            final SendWindow w = new SendWindow(sgl, 8192, 10);
            w.onConnected(0x10000, 0x77, 512, 8);
            assertTrue(w.canSend());
            assertEquals(512, w.transferSize(10_000), "capped by the target SGE");
            assertEquals(0x10000, w.targetAddress());
            assertEquals(0x77, w.targetKey());
            w.onDataPosted(300);
            assertEquals(0x10000 + 300, w.targetAddress(), "data lands contiguously");
            assertEquals(212, w.transferSize(10_000));
            w.onDataPosted(212);
            assertEquals(1, w.targetSgeIndex(), "SGE 0 fully consumed: move to SGE 1");
            assertFalse(w.canSend(), "SGE 1 not yet advertised by the peer");

            // The peer's credit update RDMA-writes its other half into our target SGL entry 1.
            new SgeFlyweight().wrap(sgl, 16, ByteOrder.LITTLE_ENDIAN).set(0x10200, 0x77, 512);
            assertTrue(w.canSend());
            assertEquals(0x10200, w.targetAddress());
        }
    }

    /**
     * The passive side grants its second half as soon as it is connected, which can be before the active
     * side has processed ESTABLISHED: the update already in target SGL entry 1 must survive onConnected
     * (clearing it stalled a transfer after half a ring, about one run in a few hundred).
     */
    @Test
    void shouldKeepACreditUpdateThatArrivedBeforeTheConnectionWasProcessed()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment sgl = arena.allocate(32, 8);
            final SendWindow w = new SendWindow(sgl, 8192, 10);
            new SgeFlyweight().wrap(sgl, 16, ByteOrder.LITTLE_ENDIAN).set(0x10200, 0x77, 512);
            w.onConnected(0x10000, 0x77, 512, 8);
            w.onDataPosted(512);
            assertEquals(1, w.targetSgeIndex());
            assertTrue(w.canSend(), "the early update is still there");
            assertEquals(0x10200, w.targetAddress());
            assertEquals(512, w.transferSize(10_000));
        }
    }

    @Test
    void shouldStopAtTheCreditLimitAndResumeOnAnUpdate()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final SendWindow w = new SendWindow(arena.allocate(32, 8), 1 << 20, 100);
            w.onConnected(0x10000, 1, 1 << 16, 3);
            for (int i = 0; i < 3; i++)
            {
                assertTrue(w.canSend());
                w.onDataPosted(1);
                w.onSendCompleted(1);
            }
            assertFalse(w.canSend(), "sseq_no == sseq_comp");
            w.onCredits(0x1_0000 | 7);                      // only the low 16 bits count
            assertEquals(7, w.sequenceLimit());
            assertTrue(w.canSend());
        }
    }

    @Test
    void shouldNeedSendQueueEntriesAndLowWaterRingSpace()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final SendWindow w = new SendWindow(arena.allocate(32, 8), 4096, 1);
            w.onConnected(0x10000, 1, 1 << 16, 100);
            w.onDataPosted(2049);
            assertFalse(w.canSend(), "no send queue entry left and under RS_SNDLOWAT free bytes");
            w.onSendCompleted(2049);
            assertTrue(w.canSend());
            assertEquals(4096, w.ringBytesAvailable());
        }
    }

    @Test
    void shouldWrapTheSendRingAndSequenceNumbers()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final SendWindow w = new SendWindow(arena.allocate(32, 8), 4096, 10);
            assertEquals(0, w.reserveRing(3000));
            assertEquals(3000, w.reserveRing(2000), "this copy wraps: 1096 bytes at the end, 904 at the start");
            assertEquals(904, w.reserveRing(10));

            w.onConnected(0x10000, 1, 1L << 31, 0);
            w.onCredits(0xFFFF);
            for (int i = 0; i < 0xFFFF; i++)
            {
                w.onDataPosted(1);
                w.onSendCompleted(1);
            }
            assertFalse(w.canSend());
            w.onCredits(5);                                  // the limit wrapped past 0
            assertTrue(w.canSend());
            w.onDataPosted(1);
            assertEquals(0, w.sequenceNumber());
        }
    }

    /** C's doubling restarts only when the pipe is idle; while data is in flight it continues. */
    @Test
    void shouldRestartChunkingOnlyWhenTheSendRingHasDrained()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final SendWindow w = new SendWindow(arena.allocate(32, 8), 1 << 20, 100);
            w.onConnected(0x10000, 1, 1 << 24, 1000);
            w.startChunking();
            int total = 0;
            for (final int expected : new int[] {2048, 4096, 8192, 16384, 32768, 65536, 65536})
            {
                final int xfer = w.transferSize(1 << 20);
                assertEquals(expected, xfer);
                w.onDataPosted(xfer);
                total += xfer;
            }
            w.startChunking();
            assertEquals(65536, w.transferSize(1 << 20), "a send while data is in flight keeps the chunk");
            assertEquals(100, w.transferSize(100), "capped by what is left");
            w.onSendCompleted(total);
            w.startChunking();
            assertEquals(SendWindow.OLAP_START_SIZE, w.transferSize(1 << 20), "idle again: restart at 2 KiB");
        }
    }
}
