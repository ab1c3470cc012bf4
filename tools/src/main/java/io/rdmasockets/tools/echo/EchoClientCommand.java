package io.rdmasockets.tools.echo;

import io.rdmasockets.tools.ToolException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * {@code rsock echo-client}: DMM's {@code vc_common}, a ping-pong client. Each of {@code -f} connections
 * binds {@code -s:-a+i} and connects to {@code -d:-p}; then for {@code -t} rounds every connection sends an
 * {@code -l}-byte message and waits for its echo. Unlike C it writes partial sends to the end, checks that
 * each echo is the message it sent (a round number in its first bytes), computes times with borrow, sets
 * TCP_NODELAY, and starts at once (C slept one second after connecting). The closing {@code total:} line
 * is new.
 */
@Command(
    name = "echo-client",
    mixinStandardHelpOptions = true,
    header = "DMM vc_common: ping-pong client of echo-server over java.nio (rsockets when the provider is installed).",
    description = {
        "Uses -p -d -a -s -l -t -i -e -f -u -x; -r -n -w are accepted and ignored, as in C. Lines: " +
        "'sendcount N , pps=P' (round trips per second over the last -u rounds, all connections), " +
        "'sendcount N , bytes/s=B' (payload bytes per second each way), 'client i send N , sendtime :S s NS ns'.",
        ""},
    footer = {"", "Example:", "  rsock echo-client -d 127.0.0.1 -p 7895 -s 127.0.0.1 -a 0 -l 1000 -t 500000 -i 0 -u 50000"})
public final class EchoClientCommand implements Callable<Integer>
{
    @Mixin
    EchoFlags flags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        flags.validate(spec);
        final PrintWriter out = spec.commandLine().getOut();
        final SelectorProvider provider = SelectorProvider.provider();
        final SocketChannel[] channels = new SocketChannel[flags.connections];
        try
        {
            for (int i = 0; i < channels.length; i++)
            {
                channels[i] = open(provider, i, out);
            }
            run(channels, out);
        }
        finally
        {
            for (final SocketChannel channel : channels)
            {
                if (null != channel)
                {
                    channel.close();
                }
            }
        }
        return 0;
    }

    private SocketChannel open(final SelectorProvider provider, final int i, final PrintWriter out) throws IOException
    {
        final SocketChannel channel = provider.openSocketChannel();
        out.println("client " + i + " created success");
        final int port = 0 == flags.srcPort ? 0 : flags.srcPort + i;
        try
        {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(flags.srcAddress, port));
        }
        catch (final IOException e)
        {
            out.println("client " + i + " bind Failed port:" + port + " IP:" + flags.srcAddress);
            channel.close();
            throw new ToolException("client " + i + ": bind " + flags.srcAddress + ":" + port + ": " + e.getMessage(), e);
        }
        final InetSocketAddress local = (InetSocketAddress)channel.getLocalAddress();
        out.println("client " + i + " bind Success port:" + local.getPort() + " IP:" + local.getAddress().getHostAddress());
        try
        {
            channel.connect(new InetSocketAddress(flags.destAddress, flags.destPort));
        }
        catch (final IOException e)
        {
            out.println("client " + i + " Connect Failed port:" + flags.destPort + ", IP:" + flags.destAddress);
            channel.close();
            throw new ToolException("client " + i + ": connect " + flags.destAddress + ":" + flags.destPort + ": " +
                e.getMessage(), e);
        }
        // Ping-pong: never hold a small message back waiting for an ACK.
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        out.println("client " + i + " Connect Success port:" + flags.destPort + ", IP:" + flags.destAddress);
        return channel;
    }

    private void run(final SocketChannel[] channels, final PrintWriter out) throws Exception
    {
        final ByteBuffer message = ByteBuffer.allocateDirect(flags.length);
        final ByteBuffer echo = ByteBuffer.allocateDirect(flags.length);
        for (int i = 0; i < flags.length; i++)
        {
            message.put(i, (byte)('a' + i % 26));
        }
        final long start = System.nanoTime();
        long intervalStart = start;
        for (long round = 0; round < flags.times; round++)
        {
            if (flags.sleepMicros > 0 && round % flags.sleepCount == 0)
            {
                Thread.sleep(Duration.ofNanos(flags.sleepMicros * 1_000));
            }
            stamp(message, round);
            for (int i = 0; i < channels.length; i++)
            {
                roundTrip(channels[i], i, round, message, echo);
            }
            final long done = round + 1;
            if (flags.unitPrint > 0 && done % flags.unitPrint == 0)
            {
                final long now = System.nanoTime();
                final long pps = EchoFlags.perSecond(flags.unitPrint * channels.length, now - intervalStart);
                if (0 != flags.flagPrint)
                {
                    out.println(" sendcount " + done + ", time: " + (now - intervalStart) + " ns");
                }
                out.println("sendcount " + done + " , pps=" + pps);
                out.println("sendcount " + done + " , bytes/s=" + pps * flags.length);
                intervalStart = now;
            }
        }
        final long elapsed = System.nanoTime() - start;
        for (int i = 0; i < channels.length; i++)
        {
            out.println("client " + i + " send " + flags.times + " , sendtime :" + elapsed / 1_000_000_000 + " s " +
                elapsed % 1_000_000_000 + " ns");
            channels[i].close();
            out.println("client " + i + " close!");
        }
        final long pps = EchoFlags.perSecond(flags.times * channels.length, elapsed);
        out.println("total: " + flags.times * channels.length + " round trips in " + elapsed + " ns, pps=" + pps +
            ", bytes/s=" + pps * flags.length);
    }

    /** Puts the round number in the message's first bytes, so a wrong or stale echo is noticed. */
    private static void stamp(final ByteBuffer message, final long round)
    {
        for (int b = 0; b < Math.min(Long.BYTES, message.capacity()); b++)
        {
            message.put(b, (byte)(round >>> (8 * b)));
        }
    }

    private void roundTrip(final SocketChannel channel, final int i, final long round, final ByteBuffer message,
        final ByteBuffer echo) throws IOException
    {
        message.clear();
        while (message.hasRemaining())
        {
            channel.write(message);
        }
        echo.clear();
        while (echo.hasRemaining())
        {
            if (channel.read(echo) < 0)
            {
                throw new ToolException("client " + i + ": the server closed the connection after " + round +
                    " round trips (is the server's -t smaller than " + flags.times + "?)");
            }
        }
        if (-1 != message.clear().mismatch(echo.flip()))
        {
            throw new ToolException("client " + i + ": round " + round + ": the echo differs from the message");
        }
    }
}
