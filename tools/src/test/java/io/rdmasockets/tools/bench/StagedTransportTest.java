package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.stream.Connection;
import io.rdmasockets.tools.stream.RstreamPair;
import io.rdmasockets.tools.stream.RstreamResult;
import io.rdmasockets.tools.stream.RstreamSettings;
import io.rdmasockets.tools.stream.SocketTransport;
import io.rdmasockets.tools.verbs.IdleStrategy;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.Writer;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The baseline of {@code bench-stream}'s "bw +copies" row moves every byte intact through its rings: rstream's
 * verify pattern over all sizes, with 4 KiB rings so that sends and receives wrap them mid-transfer.
 */
@Timeout(120)
class StagedTransportTest
{
    @ParameterizedTest
    @ValueSource(ints = {Connection.MSG_DONTWAIT, Connection.MSG_WAITALL})
    void shouldCarryEveryByteThroughTheRings(final int flags)
    {
        final StagedTransport staged = new StagedTransport(new SocketTransport());
        final List<RstreamResult> results = RstreamPair.run(settings(staged, flags), settings(staged, flags),
            Duration.ofSeconds(90));
        assertEquals(66, results.size());
        assertEquals("socket+copies", staged.name());
    }

    private static RstreamSettings settings(final StagedTransport transport, final int flags)
    {
        return new RstreamSettings().transport(transport).allSizes(true).countDivisor(1000).verify(true)
            .bufferSize(4096).flags(flags).idle(IdleStrategy.YIELD).out(new PrintWriter(Writer.nullWriter()));
    }
}
