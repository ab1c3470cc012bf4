package io.rdmasockets.nio.channels;

import java.io.IOException;
import java.net.SocketException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;

/** The adaptors' option calls: {@code java.net} declares {@link SocketException} where channels throw IOException. */
final class AdaptorOptions
{
    private AdaptorOptions()
    {
    }

    static <T> void set(final NetworkChannel channel, final SocketOption<T> name, final T value) throws SocketException
    {
        try
        {
            channel.setOption(name, value);
        }
        catch (final IOException e)
        {
            throw socketException(e);
        }
    }

    static <T> T get(final NetworkChannel channel, final SocketOption<T> name) throws SocketException
    {
        try
        {
            return channel.getOption(name);
        }
        catch (final IOException e)
        {
            throw socketException(e);
        }
    }

    private static SocketException socketException(final IOException e)
    {
        return e instanceof SocketException se ? se : (SocketException)new SocketException(e.getMessage()).initCause(e);
    }
}
