package io.rdmasockets.rsocket.posix;

import io.rdmasockets.common.Errno;
import io.rdmasockets.rsocket.engine.PollWaiter;
import io.rdmasockets.rsocket.engine.StreamRsocket;

import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static io.rdmasockets.rsocket.posix.RsocketConstants.*;

/**
 * One thread's {@code rpoll} (wire-protocol doc section 4.5), C's algorithm:
 * <ol>
 * <li>check every descriptor without waiting (rsockets make progress on their completion queue; JDK channels
 *     through a {@code selectNow}), again and again for {@code polling_time} microseconds;</li>
 * <li>arm: watch every rsocket (it {@link #wake() wakes} this context when its readiness may change), take the
 *     completion events that fired, arm its completion queue, and check it once more, so nothing that happens
 *     from then on goes unnoticed;</li>
 * <li>block in the selector (JDK channels are registered in it) for at most {@code wake_up_interval}
 *     milliseconds and the time left, then check every descriptor and repeat from 2 until something is ready.</li>
 * </ol>
 * A selector wakeup is never lost: one made while no select runs makes the next return at once.
 *
 * <p><b>Note:</b> used by one thread at a time (the pool hands it out); {@link #wake()} and
 * {@link #forget(SelectableChannel)} come from any thread.
 */
final class PollContext extends PollWaiter
{
    private static final int ALWAYS = POLLERR | POLLHUP | POLLNVAL;

    private final long pollingNs;
    private final int wakeUpIntervalMs;
    private final Consumer<SelectionKey> onSelected = this::onSelected;
    private volatile Selector selector;
    /** Calls made with this context: a key whose channel the current call does not poll is switched off. */
    private long call;
    /** Select operations made: a key's readiness counts only in the round that found it. */
    private long round;
    /** The rsocket watched for each pollfd of the current call, so that the same ones are unwatched. */
    private StreamRsocket[] watched = new StreamRsocket[8];
    private int watchedLength;
    private PollFd[] scratch = new PollFd[0];
    private int[] membership = new int[0];

    /** A channel's key in this context's selector. */
    private static final class KeyState
    {
        long wantedCall;
        long readyRound;
        int readyOps;
    }

    PollContext(final long pollingNs, final int wakeUpIntervalMs)
    {
        this.pollingNs = pollingNs;
        this.wakeUpIntervalMs = wakeUpIntervalMs;
    }

    /**
     * @param fds     the descriptors and events; revents are set.
     * @param nfds    how many of {@code fds}.
     * @param timeout milliseconds; 0 returns at once, a negative value waits without limit.
     * @return descriptors with events, 0 on timeout, or -1 with errno ({@code EINTR} when the thread is
     *         interrupted while waiting; its interrupt status stays set).
     */
    int poll(final PollFd[] fds, final int nfds, final int timeout)
    {
        call++;
        final long start = System.nanoTime();
        final int channels = prepare(fds, nfds);
        if (channels < 0)
        {
            return -1;
        }
        int ret;
        do
        {
            ret = check(fds, nfds, channels > 0);
            if (0 != ret || 0 == timeout)
            {
                return ret;
            }
            Thread.onSpinWait();
        }
        while (System.nanoTime() - start <= pollingNs);
        if (null == selector && !openSelector())
        {
            return -1;
        }
        try
        {
            while (true)
            {
                if (arm(fds, nfds) > 0)
                {
                    ret = check(fds, nfds, channels > 0);
                    if (0 != ret)
                    {
                        return ret;
                    }
                }
                long sleepMs = Long.MAX_VALUE;
                if (timeout > 0)
                {
                    sleepMs = timeout - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    if (sleepMs <= 0)
                    {
                        return 0;
                    }
                }
                if (wakeUpIntervalMs > 0)
                {
                    sleepMs = Math.min(sleepMs, wakeUpIntervalMs);
                }
                if (Thread.currentThread().isInterrupted())
                {
                    return Errnos.fail(Errno.EINTR.code());
                }
                round++;
                selector.select(onSelected, Long.MAX_VALUE == sleepMs ? 0 : sleepMs);
                if (Thread.currentThread().isInterrupted())
                {
                    return Errnos.fail(Errno.EINTR.code());
                }
                ret = check(fds, nfds, false);
                if (0 != ret)
                {
                    return ret;
                }
            }
        }
        catch (final IOException e)
        {
            return Errnos.fail(Errno.EIO.code());
        }
        finally
        {
            unwatchAll();
        }
    }

    /** Clears revents and registers the JDK channels; returns how many descriptors are channels, or -1. */
    private int prepare(final PollFd[] fds, final int nfds)
    {
        int channels = 0;
        for (int i = 0; i < nfds; i++)
        {
            final PollFd p = fds[i];
            p.revents(0);
            if (p.fd() >= 0 && Descriptors.lookup(p.fd()) instanceof ChannelFd c)
            {
                if (null == selector && !openSelector())
                {
                    return -1;
                }
                register(c.channel(), p.events());
                channels++;
            }
        }
        return channels;
    }

    private void register(final SelectableChannel channel, final int events)
    {
        final Selector s = selector;
        final int ops = Poller.interestOps(channel, events);
        try
        {
            SelectionKey key = channel.keyFor(s);
            if (null != key && !key.isValid())
            {
                // Cancelled by an rclose: the next select operation takes it out of the selector.
                round++;
                s.selectNow(onSelected);
                key = channel.keyFor(s);
            }
            if (null == key)
            {
                final KeyState state = new KeyState();
                state.wantedCall = call;
                channel.register(s, ops, state);
                return;
            }
            final KeyState state = (KeyState)key.attachment();
            final int want = state.wantedCall == call ? key.interestOps() | ops : ops;
            state.wantedCall = call;
            if (key.interestOps() != want)
            {
                key.interestOps(want);
            }
        }
        catch (final ClosedChannelException | IllegalBlockingModeException | CancelledKeyException e)
        {
            // Reported by check: POLLNVAL for a closed channel, POLLERR for one put back in blocking mode.
        }
        catch (final IOException e)
        {
            // selectNow failed: the key is registered on the next call.
        }
    }

    /** Every descriptor's events now; with {@code selectChannels}, a selectNow first. */
    private int check(final PollFd[] fds, final int nfds, final boolean selectChannels)
    {
        if (selectChannels)
        {
            round++;
            try
            {
                selector.selectNow(onSelected);
            }
            catch (final IOException e)
            {
                // No channel is reported ready this round.
            }
        }
        int n = 0;
        for (int i = 0; i < nfds; i++)
        {
            final PollFd p = fds[i];
            final int fd = p.fd();
            if (fd < 0)
            {
                continue;
            }
            final Descriptor d = Descriptors.lookup(fd);
            final int r;
            if (d instanceof RsocketFd s)
            {
                r = s.rs.pollEvents() & (p.events() | ALWAYS);
            }
            else if (d instanceof ChannelFd c)
            {
                r = channelEvents(c.channel(), p.events());
            }
            else
            {
                r = POLLNVAL;
            }
            p.revents(r);
            if (0 != r)
            {
                n++;
            }
        }
        return n;
    }

    private int channelEvents(final SelectableChannel channel, final int events)
    {
        if (!channel.isOpen())
        {
            return POLLNVAL;
        }
        final Selector s = selector;
        final SelectionKey key = null == s ? null : channel.keyFor(s);
        if (null == key || !key.isValid())
        {
            return channel.isBlocking() ? POLLERR : 0;
        }
        final KeyState state = (KeyState)key.attachment();
        return state.readyRound == round ? Poller.pollEvents(state.readyOps) & events : 0;
    }

    private void onSelected(final SelectionKey key)
    {
        final KeyState state = (KeyState)key.attachment();
        if (state.wantedCall != call)
        {
            // Left from an earlier call: stop waking on it.
            if (key.isValid())
            {
                key.interestOps(0);
            }
            return;
        }
        state.readyRound = round;
        state.readyOps = key.readyOps();
    }

    /** Watches every rsocket, then arms it and checks it (C's {@code rs_poll_arm}); returns how many are ready. */
    private int arm(final PollFd[] fds, final int nfds)
    {
        if (watched.length < nfds)
        {
            watched = Arrays.copyOf(watched, Math.max(nfds, watched.length * 2));
        }
        watchedLength = Math.max(watchedLength, nfds);
        int n = 0;
        for (int i = 0; i < nfds; i++)
        {
            final PollFd p = fds[i];
            final StreamRsocket rs = p.fd() >= 0 && Descriptors.lookup(p.fd()) instanceof RsocketFd s ? s.rs : null;
            final StreamRsocket old = watched[i];
            if (old != rs)
            {
                if (null != old)
                {
                    old.unwatch(this);
                }
                if (null != rs)
                {
                    rs.watch(this);
                }
                watched[i] = rs;
            }
            if (null != rs && 0 != (rs.pollArm() & (p.events() | ALWAYS)))
            {
                n++;
            }
        }
        return n;
    }

    private void unwatchAll()
    {
        for (int i = 0; i < watchedLength; i++)
        {
            final StreamRsocket rs = watched[i];
            if (null != rs)
            {
                rs.unwatch(this);
                watched[i] = null;
            }
        }
        watchedLength = 0;
    }

    private boolean openSelector()
    {
        try
        {
            selector = Selector.open();
            return true;
        }
        catch (final IOException e)
        {
            Errnos.set(Errno.ENOMEM.code());
            return false;
        }
    }

    @Override
    protected void wake()
    {
        final Selector s = selector;
        if (null != s)
        {
            s.wakeup();
        }
    }

    /** Cancels the channel's key in this context's selector, from any thread. */
    void forget(final SelectableChannel channel)
    {
        final Selector s = selector;
        final SelectionKey key = null == s ? null : channel.keyFor(s);
        if (null != key)
        {
            key.cancel();
        }
    }

    /** @return at least {@code n} pollfds for rselect. */
    PollFd[] scratch(final int n)
    {
        if (scratch.length < n)
        {
            final int old = scratch.length;
            scratch = Arrays.copyOf(scratch, Math.max(n, old * 2));
            membership = Arrays.copyOf(membership, scratch.length);
            for (int i = old; i < scratch.length; i++)
            {
                scratch[i] = new PollFd();
            }
        }
        return scratch;
    }

    /** @return rselect's per-pollfd set memberships, as long as {@link #scratch}. */
    int[] membership()
    {
        return membership;
    }

    /** Closes the selector and gives the waiter bit back. */
    void close()
    {
        final Selector s = selector;
        if (null != s)
        {
            try
            {
                s.close();
            }
            catch (final IOException e)
            {
                // Nothing more to release.
            }
        }
        release();
    }
}
