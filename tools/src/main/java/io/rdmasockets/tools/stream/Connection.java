package io.rdmasockets.tools.stream;

import io.rdmasockets.common.Errno;

import java.lang.foreign.MemorySegment;

/**
 * One connected stream as rstream uses it: C's {@code rs_send}/{@code rs_recv}/{@code rs_poll} macros,
 * which are {@code rsend}/{@code rrecv}/{@code rpoll} or the plain socket calls. Data calls return status
 * codes and allocate nothing.
 *
 * <p><b>Note:</b> one thread uses a connection at a time.
 */
public interface Connection extends AutoCloseable
{
    /** Linux {@code MSG_DONTWAIT}: do not wait (also what a nonblocking socket does). */
    int MSG_DONTWAIT = 0x40;
    /** Linux {@code MSG_WAITALL}: a blocking receive waits for all the bytes asked for. */
    int MSG_WAITALL = 0x100;
    /** poll(2)'s {@code POLLIN}. */
    int POLLIN = 0x1;
    /** poll(2)'s {@code POLLOUT}. */
    int POLLOUT = 0x4;
    /** poll(2)'s {@code POLLERR}. */
    int POLLERR = 0x8;
    /** poll(2)'s {@code POLLHUP}. */
    int POLLHUP = 0x10;

    /**
     * {@code send}.
     *
     * @param buffer the transfer buffer.
     * @param offset where the bytes start.
     * @param length how many.
     * @param flags  {@link #MSG_DONTWAIT}, {@link #MSG_WAITALL}.
     * @return bytes sent, or a negative errno ({@code -EAGAIN}: nothing could be sent without waiting).
     */
    int send(MemorySegment buffer, long offset, int length, int flags);

    /**
     * {@code recv}.
     *
     * @param buffer the transfer buffer.
     * @param offset where to put the bytes.
     * @param length most bytes.
     * @param flags  {@link #MSG_DONTWAIT}, {@link #MSG_WAITALL}.
     * @return bytes received, 0 at end of stream, or a negative errno ({@code -EAGAIN}: none without
     *         waiting, or a blocking receive's time limit passed).
     */
    int recv(MemorySegment buffer, long offset, int length, int flags);

    /**
     * {@code poll} with a zero timeout: readiness now.
     *
     * @param events {@link #POLLIN}, {@link #POLLOUT}.
     * @return the ready events among them, plus {@link #POLLERR}/{@link #POLLHUP}; 0 when none.
     */
    int poll(int events);

    /**
     * @param status a negative errno returned by this connection.
     * @return what it means, e.g. {@code "ECONNRESET (Connection reset by peer)"}.
     */
    default String describe(final int status)
    {
        final Errno errno = Errno.of(status);
        return null == errno ? "errno " + -status : errno.name() + " (" + errno.description() + ")";
    }

    /** {@code shutdown(SHUT_RDWR)}, ignoring failures (the peer may have gone). */
    void shutdown();

    @Override
    void close();
}
