package io.rdmasockets.nio.channels;

import io.rdmasockets.verbs.support.PlatformSelectorProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a socket whose stack is not decided yet reports for an option nobody set: the kernel's default, read
 * once from a JDK socket.
 */
final class KernelDefaults
{
    private KernelDefaults()
    {
    }

    private static final class Holder
    {
        static final Set<SocketOption<?>> OPTIONS;
        static final Map<SocketOption<?>, Object> VALUES = new HashMap<>();

        static
        {
            try (SocketChannel prototype = PlatformSelectorProvider.get().openSocketChannel())
            {
                OPTIONS = prototype.supportedOptions();
                for (final SocketOption<?> o : OPTIONS)
                {
                    try
                    {
                        VALUES.put(o, prototype.getOption(o));
                    }
                    catch (final IOException | UnsupportedOperationException ignored)
                    {
                        // Not readable on an unconnected socket: reported as null.
                    }
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** @return the options of a JDK socket channel. */
    static Set<SocketOption<?>> socketOptions()
    {
        return Holder.OPTIONS;
    }

    /**
     * @param name an option.
     * @return its kernel default, or null.
     */
    static Object socket(final SocketOption<?> name)
    {
        return Holder.VALUES.get(name);
    }

    /**
     * Checks a value kept for later as the JDK checks it when set: of the option's type, not null.
     *
     * @param name  the option.
     * @param value the value.
     * @throws IllegalArgumentException when it is not acceptable.
     */
    static void check(final SocketOption<?> name, final Object value)
    {
        if (null == value || !name.type().isInstance(value))
        {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + name);
        }
        if (value instanceof Integer i && i < 0 && !"SO_LINGER".equals(name.name()))
        {
            throw new IllegalArgumentException("Invalid value '" + value + "' for " + name);
        }
    }
}
