package io.rdmasockets.tools.echo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted connection of {@link EchoServerCommand}: reads {@code -l}-byte messages and writes each back.
 * A partial write switches the key to OP_WRITE until the echo is out (C counted a partial send as done),
 * and nothing more is read meanwhile, so a slow client throttles its own connection only.
 */
final class EchoConnection
{
    private final int id;
    private final EchoFlags flags;
    private final PrintWriter out;
    private final ByteBuffer buffer;
    private boolean echoing;
    private long count;
    private long intervalStart = System.nanoTime();

    EchoConnection(final int id, final EchoFlags flags, final PrintWriter out)
    {
        this.id = id;
        this.flags = flags;
        this.out = out;
        buffer = ByteBuffer.allocateDirect(flags.length);
    }

    /** @return the connection's number, in accept order from 0. */
    int id()
    {
        return id;
    }

    /** @return the complete messages received (and echoed or being echoed). */
    long count()
    {
        return count;
    }

    /**
     * Serves a ready key: reads what there is, echoes every complete message.
     *
     * @return false when the connection is finished (end-of-stream or {@code -t} messages); it is closed.
     */
    boolean onReady(final SelectionKey key) throws IOException
    {
        final SocketChannel channel = (SocketChannel)key.channel();
        while (true)
        {
            if (echoing)
            {
                channel.write(buffer);
                if (buffer.hasRemaining())
                {
                    key.interestOps(SelectionKey.OP_WRITE);
                    return true;
                }
                echoing = false;
                buffer.clear();
                key.interestOps(SelectionKey.OP_READ);
                if (flags.times > 0 && count == flags.times)
                {
                    channel.close();
                    return false;
                }
            }
            if (channel.read(buffer) < 0)
            {
                channel.close();
                return false;
            }
            if (buffer.hasRemaining())
            {
                return true;
            }
            count++;
            report();
            buffer.flip();
            echoing = true;
        }
    }

    private void report()
    {
        if (0 == flags.flagPrint || 0 == flags.unitPrint || count % flags.unitPrint != 0)
        {
            return;
        }
        final long now = System.nanoTime();
        final long pps = EchoFlags.perSecond(flags.unitPrint, now - intervalStart);
        out.println("receive count:" + count + ", receive time: " + (now - intervalStart) + " ns");
        out.println("receive pps = " + pps);
        out.println("receive bytes/s = " + pps * flags.length + " (connection " + id + ")");
        intervalStart = now;
    }
}
