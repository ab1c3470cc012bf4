package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.config.RsocketConfig;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code rpoll} and {@code rselect} (wire-protocol doc section 4.5): the calls borrow a {@link PollContext} (a
 * selector and the scratch state of one poll) from a small pool, so that a poll in steady state allocates nothing.
 *
 * <p><b>Note:</b> thread safe: any number of threads may poll at once, over the same descriptors or not.
 */
final class Poller
{
    /** Contexts kept for reuse; more threads polling at once get fresh ones, closed afterwards. */
    private static final int POOL = 32;
    private static final AtomicReferenceArray<PollContext> IDLE = new AtomicReferenceArray<>(POOL);
    /** Every open context, so that {@code rclose} of a channel descriptor can take the channel out of each. */
    private static final Set<PollContext> OPEN = ConcurrentHashMap.newKeySet();
    private static final int READ = 1;
    private static final int WRITE = 2;
    private static final int EXCEPT = 4;

    private Poller()
    {
    }

    /**
     * {@code rpoll}.
     *
     * @return descriptors with events, 0 on timeout, or -1 with errno.
     */
    static int poll(final PollFd[] fds, final int nfds, final int timeout)
    {
        if (nfds < 0 || nfds > (null == fds ? 0 : fds.length))
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        final PollContext c = acquire();
        try
        {
            return c.poll(fds, nfds, timeout);
        }
        finally
        {
            release(c);
        }
    }

    /**
     * {@code rselect}, on top of {@code rpoll} as C: reading asks for POLLIN, writing for POLLOUT, exceptions for
     * nothing (errors only). The sets are emptied, then an fd is put back in the read set on POLLIN or POLLHUP,
     * in the write set on POLLOUT, in the exception set on anything else (POLLERR, POLLHUP, POLLNVAL), each only
     * when it was in that set before (C puts it in regardless).
     *
     * @return the number of set memberships reported, 0 on timeout, or -1 with errno.
     */
    static int select(final int nfds, final FdSet readfds, final FdSet writefds, final FdSet exceptfds,
        final Timeval timeout)
    {
        if (nfds < 0 || (null != timeout && (timeout.sec() < 0 || timeout.usec() < 0 || timeout.usec() > 999_999)))
        {
            return Errnos.fail(Errno.EINVAL.code());
        }
        final long ms = null == timeout ? -1 : timeout.toMillisRoundedUp();
        final PollContext c = acquire();
        try
        {
            final PollFd[] fds = c.scratch(nfds);
            final int[] member = c.membership();
            int n = 0;
            for (int fd = 0; fd < nfds; fd++)
            {
                final int m = (null != readfds && readfds.isSet(fd) ? READ : 0) |
                    (null != writefds && writefds.isSet(fd) ? WRITE : 0) |
                    (null != exceptfds && exceptfds.isSet(fd) ? EXCEPT : 0);
                if (0 != m)
                {
                    member[n] = m;
                    fds[n++].fd(fd).events((0 != (m & READ) ? RsocketConstants.POLLIN : 0) |
                        (0 != (m & WRITE) ? RsocketConstants.POLLOUT : 0)).revents(0);
                }
            }
            final int ret = c.poll(fds, n, (int)ms);
            zero(readfds);
            zero(writefds);
            zero(exceptfds);
            if (ret <= 0)
            {
                return ret;
            }
            int count = 0;
            for (int i = 0; i < n; i++)
            {
                final int fd = fds[i].fd();
                final int r = fds[i].revents();
                count += mark(readfds, fd, 0 != (member[i] & READ) && 0 != (r & (RsocketConstants.POLLIN |
                    RsocketConstants.POLLHUP)));
                count += mark(writefds, fd, 0 != (member[i] & WRITE) && 0 != (r & RsocketConstants.POLLOUT));
                count += mark(exceptfds, fd, 0 != (member[i] & EXCEPT) &&
                    0 != (r & ~(RsocketConstants.POLLIN | RsocketConstants.POLLOUT)));
            }
            return count;
        }
        finally
        {
            release(c);
        }
    }

    private static void zero(final FdSet set)
    {
        if (null != set)
        {
            set.zero();
        }
    }

    private static int mark(final FdSet set, final int fd, final boolean ready)
    {
        if (ready)
        {
            set.set(fd);
            return 1;
        }
        return 0;
    }

    /** Takes a channel out of every context's selector ({@code rclose} of its descriptor). */
    static void forget(final SelectableChannel channel)
    {
        for (final PollContext c : OPEN)
        {
            c.forget(channel);
        }
    }

    private static PollContext acquire()
    {
        for (int i = 0; i < POOL; i++)
        {
            final PollContext c = IDLE.getAndSet(i, null);
            if (null != c)
            {
                return c;
            }
        }
        final RsocketConfig config = RsocketConfig.process();
        final PollContext c = new PollContext(TimeUnit.MICROSECONDS.toNanos(config.pollingTimeUs()),
            config.wakeUpIntervalMs());
        OPEN.add(c);
        return c;
    }

    private static void release(final PollContext c)
    {
        for (int i = 0; i < POOL; i++)
        {
            if (IDLE.compareAndSet(i, null, c))
            {
                return;
            }
        }
        OPEN.remove(c);
        c.close();
    }

    /** @return the interest ops for poll events on a channel: only those its type supports. */
    static int interestOps(final SelectableChannel channel, final int events)
    {
        int ops = 0;
        if (0 != (events & RsocketConstants.POLLIN))
        {
            ops |= SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
        }
        if (0 != (events & RsocketConstants.POLLOUT))
        {
            ops |= SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;
        }
        return ops & channel.validOps();
    }

    /** @return poll events for ready ops. */
    static int pollEvents(final int readyOps)
    {
        int events = 0;
        if (0 != (readyOps & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)))
        {
            events |= RsocketConstants.POLLIN;
        }
        if (0 != (readyOps & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)))
        {
            events |= RsocketConstants.POLLOUT;
        }
        return events;
    }
}
