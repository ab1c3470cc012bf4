package io.rdmasockets.nio.channels;

import io.rdmasockets.rsocket.engine.OptionValues;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The socket options of a routed channel: set on its stack once decided, kept meanwhile, and replayed on
 * whatever it becomes (an rsocket, a kernel socket, or a kernel socket after a fallback). An option the stack
 * lacks (an rsocket has no {@code IP_TOS}) is dropped on replay: it was asked for before the stack was known.
 *
 * <p><b>Note:</b> guarded by the channel's state lock.
 */
final class ChannelOptions
{
    private final Map<SocketOption<?>, Object> values = new LinkedHashMap<>();
    private final Set<SocketOption<?>> rsocketOptions;
    private final Set<SocketOption<?>> undecided;

    /**
     * @param rsocketOptions what the rsocket stack supports ({@link OptionValues#SOCKET_OPTIONS} or
     *                       {@link OptionValues#SERVER_OPTIONS}).
     * @param kernelOptions  what the kernel stack supports.
     */
    ChannelOptions(final Set<SocketOption<?>> rsocketOptions, final Set<SocketOption<?>> kernelOptions)
    {
        this.rsocketOptions = rsocketOptions;
        final Set<SocketOption<?>> both = new HashSet<>(kernelOptions);
        both.addAll(rsocketOptions);
        this.undecided = Set.copyOf(both);
    }

    /**
     * @param kernel the kernel socket, or null.
     * @param rs     the rsocket, or null.
     * @return the options of the stack, or of either while undecided.
     */
    Set<SocketOption<?>> supported(final NetworkChannel kernel, final StreamRsocket rs)
    {
        return null != kernel ? kernel.supportedOptions() : null != rs ? rsocketOptions : undecided;
    }

    <T> void set(final NetworkChannel kernel, final StreamRsocket rs, final SocketOption<T> name, final T value)
        throws IOException
    {
        if (null != kernel)
        {
            kernel.setOption(name, value);
        }
        else if (null != rs)
        {
            OptionValues.set(rs, rsocketOptions, name, value);
        }
        else
        {
            if (!undecided.contains(name))
            {
                throw new UnsupportedOperationException("'" + name + "' not supported");
            }
            KernelDefaults.check(name, value);
        }
        values.put(name, value);
    }

    <T> T get(final NetworkChannel kernel, final StreamRsocket rs, final SocketOption<T> name) throws IOException
    {
        if (null != kernel)
        {
            return kernel.getOption(name);
        }
        if (null != rs)
        {
            return OptionValues.get(rs, rsocketOptions, name);
        }
        if (!undecided.contains(name))
        {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        final Object kept = values.get(name);
        return name.type().cast(null != kept ? kept : KernelDefaults.socket(name));
    }

    /** Sets every option kept so far that the rsocket stack has on {@code rs}. */
    void replayOn(final StreamRsocket rs) throws IOException
    {
        for (final Map.Entry<SocketOption<?>, Object> e : values.entrySet())
        {
            if (rsocketOptions.contains(e.getKey()))
            {
                setOn(rs, e.getKey(), e.getValue());
            }
        }
    }

    /** Sets every option kept so far that the kernel socket has on it. */
    void replayOn(final NetworkChannel kernel) throws IOException
    {
        final Set<SocketOption<?>> supported = kernel.supportedOptions();
        for (final Map.Entry<SocketOption<?>, Object> e : values.entrySet())
        {
            if (supported.contains(e.getKey()))
            {
                setOn(kernel, e.getKey(), e.getValue());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private <T> void setOn(final StreamRsocket rs, final SocketOption<T> name, final Object value) throws IOException
    {
        OptionValues.set(rs, rsocketOptions, name, (T)value);
    }

    @SuppressWarnings("unchecked")
    private static <T> void setOn(final NetworkChannel kernel, final SocketOption<T> name, final Object value)
        throws IOException
    {
        kernel.setOption(name, (T)value);
    }
}
