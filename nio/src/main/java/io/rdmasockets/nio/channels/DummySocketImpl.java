package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;

/**
 * The implementation an adaptor hands to {@link java.net.ServerSocket}'s constructor, which requires one; the
 * adaptor overrides every method, so nothing ever reaches it.
 */
final class DummySocketImpl extends SocketImpl
{
    private static SocketException unused()
    {
        return new SocketException("not used by channel adaptors");
    }

    @Override
    protected void create(final boolean stream) throws IOException
    {
        throw unused();
    }

    @Override
    protected void connect(final String host, final int port) throws IOException
    {
        throw unused();
    }

    @Override
    protected void connect(final InetAddress address, final int port) throws IOException
    {
        throw unused();
    }

    @Override
    protected void connect(final SocketAddress address, final int timeout) throws IOException
    {
        throw unused();
    }

    @Override
    protected void bind(final InetAddress host, final int port) throws IOException
    {
        throw unused();
    }

    @Override
    protected void listen(final int backlog) throws IOException
    {
        throw unused();
    }

    @Override
    protected void accept(final SocketImpl s) throws IOException
    {
        throw unused();
    }

    @Override
    protected InputStream getInputStream() throws IOException
    {
        throw unused();
    }

    @Override
    protected OutputStream getOutputStream() throws IOException
    {
        throw unused();
    }

    @Override
    protected int available() throws IOException
    {
        throw unused();
    }

    @Override
    protected void close()
    {
        // Nothing was opened.
    }

    @Override
    protected void sendUrgentData(final int data) throws IOException
    {
        throw unused();
    }

    @Override
    public void setOption(final int optID, final Object value) throws SocketException
    {
        throw unused();
    }

    @Override
    public Object getOption(final int optID) throws SocketException
    {
        throw unused();
    }
}
