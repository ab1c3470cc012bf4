package io.rdmasockets.rsocket.posix;

/**
 * C's {@code struct pollfd} for {@link Rsockets#rpoll}: a descriptor, the events asked for, and the events
 * found. Reuse an array of them from call to call: {@code rpoll} then allocates nothing.
 *
 * <pre>{@code
 * PollFd[] fds = {new PollFd(sock, POLLIN), new PollFd(pipeFd, POLLIN)};
 * int n = rpoll(fds, 2, 1000);
 * if (n > 0 && 0 != (fds[0].revents() & POLLIN)) ...
 * }</pre>
 *
 * <p><b>Note:</b> not thread safe; one {@code rpoll} at a time may use it.
 */
public final class PollFd
{
    private int fd;
    private int events;
    private int revents;

    /** An entry that {@code rpoll} skips (descriptor -1), until {@link #fd(int)} sets one. */
    public PollFd()
    {
        this(-1, 0);
    }

    /**
     * @param fd     the descriptor; a negative one is skipped, as poll(2).
     * @param events what to wait for: {@link RsocketConstants#POLLIN}, {@link RsocketConstants#POLLOUT}.
     */
    public PollFd(final int fd, final int events)
    {
        this.fd = fd;
        this.events = events;
    }

    /** @return the descriptor. */
    public int fd()
    {
        return fd;
    }

    /**
     * @param fd the descriptor; a negative one is skipped.
     * @return this.
     */
    public PollFd fd(final int fd)
    {
        this.fd = fd;
        return this;
    }

    /** @return the events asked for. */
    public int events()
    {
        return events;
    }

    /**
     * @param events the events to wait for.
     * @return this.
     */
    public PollFd events(final int events)
    {
        this.events = events;
        return this;
    }

    /** @return the events found by the last {@code rpoll}: those asked for, and POLLERR, POLLHUP, POLLNVAL. */
    public int revents()
    {
        return revents;
    }

    /**
     * @param revents the events found ({@code rpoll} sets them).
     * @return this.
     */
    public PollFd revents(final int revents)
    {
        this.revents = revents;
        return this;
    }

    @Override
    public String toString()
    {
        return "pollfd{fd=" + fd + ", events=0x" + Integer.toHexString(events) + ", revents=0x" +
            Integer.toHexString(revents) + "}";
    }
}
