package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.engine.RsocketOptions;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.rdmasockets.rsocket.posix.RsocketConstants.*;

/**
 * {@code rsetsockopt} and {@code rgetsockopt}: unpack C's {@code optval}/{@code optlen} and hand the values to the
 * engine ({@link RsocketOptions}, where C's rules live). Lengths are checked as Linux checks them ({@code EINVAL}
 * when too short for the option); C reads {@code *(int *)optval} without looking.
 */
final class OptionCalls
{
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final int LINGER_LENGTH = 8;

    private OptionCalls()
    {
    }

    static int set(final RsocketFd d, final int level, final int name, final int value)
    {
        if (isLinger(level, name) || isRoute(level, name))
        {
            // A struct or a blob: an int is not one.
            return Errnos.fail(Errno.EINVAL.code());
        }
        return Errnos.result(d.rs.options().set(level, name, value));
    }

    static int set(final RsocketFd d, final int level, final int name, final int[] optval)
    {
        if (null == optval)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        if (isLinger(level, name))
        {
            if (optval.length < 2)
            {
                return Errnos.fail(Errno.EINVAL.code());
            }
            return linger(d, optval[0], optval[1]);
        }
        if (0 == optval.length)
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        return set(d, level, name, optval[0]);
    }

    static int set(final RsocketFd d, final int level, final int name, final MemorySegment optval, final int optlen)
    {
        if (null == optval || optlen < 0 || optlen > optval.byteSize())
        {
            return Errnos.fail((null == optval ? Errno.EFAULT : Errno.EINVAL).code());
        }
        if (isRoute(level, name))
        {
            return Errnos.result(d.rs.options().route(optval.asSlice(0, optlen).toArray(ValueLayout.JAVA_BYTE)));
        }
        if (isLinger(level, name))
        {
            if (optlen < LINGER_LENGTH)
            {
                return Errnos.fail(Errno.EINVAL.code());
            }
            return linger(d, optval.get(INT, 0), optval.get(INT, 4));
        }
        if (optlen < Integer.BYTES)
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        return set(d, level, name, optval.get(INT, 0));
    }

    /** {@code struct linger {int l_onoff; int l_linger;}}: a flag only, as C. */
    private static int linger(final RsocketFd d, final int onoff, final int seconds)
    {
        d.rs.options().linger(0 != onoff ? Math.max(0, seconds) : -1);
        return 0;
    }

    static int get(final RsocketFd d, final int level, final int name, final int[] optval)
    {
        if (null == optval)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        if (isLinger(level, name))
        {
            if (optval.length < 2)
            {
                return Errnos.fail(Errno.EINVAL.code());
            }
            optval[0] = d.rs.options().linger() >= 0 ? 1 : 0;
            // C reports l_linger as 0 whatever was set.
            optval[1] = 0;
            return 0;
        }
        if (isRoute(level, name) || 0 == optval.length)
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        final int v = d.rs.options().get(level, name);
        if (v < 0)
        {
            return Errnos.fail(-v);
        }
        optval[0] = v;
        return 0;
    }

    static int get(final RsocketFd d, final int level, final int name, final MemorySegment optval,
        final int[] optlen)
    {
        if (null == optval || null == optlen || 0 == optlen.length)
        {
            return Errnos.fail(Errno.EFAULT.code());
        }
        final int length = optlen[0];
        if (length < 0 || length > optval.byteSize())
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        if (isRoute(level, name))
        {
            final byte[] route = d.rs.options().route();
            // Without a route set C returns the resolved path records; the verbs SPI has none to give.
            if (length < Math.max(route.length, RsocketOptions.PATH_DATA_LENGTH))
            {
                return Errnos.fail(Errno.EINVAL.code());
            }
            MemorySegment.copy(MemorySegment.ofArray(route), 0, optval, 0, route.length);
            optlen[0] = route.length;
            return 0;
        }
        if (isLinger(level, name))
        {
            if (length < LINGER_LENGTH)
            {
                return Errnos.fail(Errno.EINVAL.code());
            }
            optval.set(INT, 0, d.rs.options().linger() >= 0 ? 1 : 0);
            optval.set(INT, 4, 0);
            optlen[0] = LINGER_LENGTH;
            return 0;
        }
        if (length < Integer.BYTES)
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        final int v = d.rs.options().get(level, name);
        if (v < 0)
        {
            return Errnos.fail(-v);
        }
        optval.set(INT, 0, v);
        optlen[0] = Integer.BYTES;
        return 0;
    }

    private static boolean isLinger(final int level, final int name)
    {
        return SOL_SOCKET == level && SO_LINGER == name;
    }

    private static boolean isRoute(final int level, final int name)
    {
        return SOL_RDMA == level && RDMA_ROUTE == name;
    }
}
