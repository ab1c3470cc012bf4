package io.rdmasockets.rsocket;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** The stream of {@link RdmaSocket#getOutputStream()}: writes through the socket's writer; closing it closes it. */
final class SocketOutputStream extends OutputStream
{
    private final RdmaSocket socket;
    private final SocketWriter writer;

    SocketOutputStream(final RdmaSocket socket, final SocketWriter writer)
    {
        this.socket = socket;
        this.writer = writer;
    }

    @Override
    public void write(final int b) throws IOException
    {
        writer.write(b);
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException
    {
        Objects.checkFromIndexSize(off, len, b.length);
        writer.write(b, off, len);
    }

    @Override
    public void close()
    {
        socket.close();
    }
}
