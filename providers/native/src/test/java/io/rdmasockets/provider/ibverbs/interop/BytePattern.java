package io.rdmasockets.provider.ibverbs.interop;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * rstream's {@code format_buf}/{@code verify_buf} data, which the C peers ({@code rstream -T v},
 * {@code rsocket_peer}) also send and check: a byte counter running across each direction's bytes.
 */
final class BytePattern
{
    private final byte[] chunk = new byte[65536];
    private byte sent;
    private byte received;
    private long receivedTotal;

    /** @return the first {@code size} bytes of the pattern (byte i is i mod 256): a mapping's expected content. */
    static byte[] bytes(final int size)
    {
        final byte[] b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte)i;
        }
        return b;
    }

    /** Sends the next {@code size} bytes of this direction's pattern. */
    void send(final OutputStream out, final long size) throws IOException
    {
        for (long left = size; left > 0; )
        {
            final int n = (int)Math.min(left, chunk.length);
            for (int i = 0; i < n; i++)
            {
                chunk[i] = sent++;
            }
            out.write(chunk, 0, n);
            left -= n;
        }
    }

    /** Reads exactly {@code size} bytes and checks each. */
    void receive(final InputStream in, final long size) throws IOException
    {
        for (long left = size; left > 0; )
        {
            final int n = in.read(chunk, 0, (int)Math.min(left, chunk.length));
            if (n < 0)
            {
                fail("the C side closed early, after " + receivedTotal + " bytes; " + left + " missing");
            }
            check(n);
            left -= n;
        }
    }

    /** Reads and checks until EOF. @return the bytes read. */
    long receiveToEof(final InputStream in) throws IOException
    {
        final long before = receivedTotal;
        for (int n; (n = in.read(chunk)) >= 0; )
        {
            check(n);
        }
        return receivedTotal - before;
    }

    /** @return the bytes received and checked so far. */
    long receivedTotal()
    {
        return receivedTotal;
    }

    private void check(final int n)
    {
        for (int i = 0; i < n; i++, receivedTotal++)
        {
            if (chunk[i] != received++)
            {
                assertEquals((byte)(received - 1), chunk[i], "byte " + receivedTotal + " from the C side");
            }
        }
    }
}
