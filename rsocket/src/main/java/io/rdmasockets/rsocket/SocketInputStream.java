package io.rdmasockets.rsocket;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/** The stream of {@link RdmaSocket#getInputStream()}: reads through the socket's reader; closing it closes the socket. */
final class SocketInputStream extends InputStream
{
    private final RdmaSocket socket;
    private final SocketReader reader;

    SocketInputStream(final RdmaSocket socket, final SocketReader reader)
    {
        this.socket = socket;
        this.reader = reader;
    }

    @Override
    public int read() throws IOException
    {
        return reader.read();
    }

    @Override
    public int read(final byte[] b, final int off, final int len) throws IOException
    {
        Objects.checkFromIndexSize(off, len, b.length);
        return reader.read(b, off, len);
    }

    @Override
    public int available() throws IOException
    {
        return reader.available();
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
