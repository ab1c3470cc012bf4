package io.rdmasockets.tools;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class UnitsTest
{
    @Test
    void shouldFormatSizesLikeRstream()
    {
        assertEquals("64", Units.sizeStr(64));
        assertEquals("1000", Units.sizeStr(1000));
        assertEquals("1k", Units.sizeStr(1024));
        assertEquals("1.5k", Units.sizeStr(1536));
        assertEquals("4k", Units.sizeStr(4096));
        assertEquals("10k", Units.sizeStr(10 * 1024 + 512));
        assertEquals("64k", Units.sizeStr(65536));
        assertEquals("1m", Units.sizeStr(1 << 20));
        assertEquals("1.5m", Units.sizeStr(3 << 19));
        assertEquals("2g", Units.sizeStr(2L << 30));
    }

    @Test
    void shouldFormatCountsLikeRstream()
    {
        assertEquals("999", Units.cntStr(999));
        assertEquals("1k", Units.cntStr(1999));
        assertEquals("100k", Units.cntStr(100_000));
        assertEquals("2m", Units.cntStr(2_500_000));
        assertEquals("3b", Units.cntStr(3_000_000_001L));
    }

    @Test
    void shouldFormatRstreamRows()
    {
        assertEquals("name      bytes   xfers   iters   total       time     Gb/sec    usec/xfer", Units.rstreamHeader());
        // 100k iterations of one 64-byte transfer each way in 2 s: 12.8 MB, 0.05 Gb/s, 10 us per transfer.
        assertEquals("64_lat    64      1       100k    12m         2.00s      0.05      10.00",
            Units.rstreamRow("64_lat", 64, 1, 100_000, 2_000_000_000L));
    }

    @Test
    void shouldParseSizesAndDurations()
    {
        assertEquals(List.of(64L, 4096L, 65536L, 1L << 20, 1536L), Units.parseSizes("64,4k,64KiB,1m,1.5k"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("12q"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseSize("0"));
        assertEquals(Duration.ofMillis(500), Units.parseDuration("500ms"));
        assertEquals(Duration.ofMillis(1500), Units.parseDuration("1.5s"));
        assertEquals(Duration.ofSeconds(2), Units.parseDuration("PT2S"));
        assertThrows(IllegalArgumentException.class, () -> Units.parseDuration("soon"));
    }

    @Test
    void shouldFormatGuidLikeIbvDevices()
    {
        assertEquals("0002:c903:0042:1a3b", Units.guidStr(0x0002_c903_0042_1a3bL));
        assertEquals("ffff:ffff:ffff:ffff", Units.guidStr(-1L));
    }

    @Test
    void shouldComputeRstreamRates()
    {
        assertEquals(8.0, Units.gbitsPerSecond(1_000_000_000L, 1_000_000_000L), 1e-9);
        assertEquals("0.50x", Units.ratioStr(0.5));
        assertEquals("-", Units.ratioStr(Double.NaN));
    }
}
