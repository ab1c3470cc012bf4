package io.rdmasockets.common;

/**
 * Linux errno values, numbered as on Linux so that status codes from native verbs, the software
 * providers and the rsocket engine are interchangeable.
 *
 * <p>Hot paths return the {@link #code()} as an {@code int} (0 for success); APIs turn a code into an
 * {@link ErrnoException} whose message starts with the {@link #name()}.
 */
public enum Errno
{
    EPERM(1, "Operation not permitted"),
    ENOENT(2, "No such file or directory"),
    EINTR(4, "Interrupted system call"),
    EIO(5, "Input/output error"),
    EBADF(9, "Bad file descriptor"),
    EAGAIN(11, "Resource temporarily unavailable"),
    ENOMEM(12, "Cannot allocate memory"),
    EACCES(13, "Permission denied"),
    EFAULT(14, "Bad address"),
    EBUSY(16, "Device or resource busy"),
    EEXIST(17, "File exists"),
    ENODEV(19, "No such device"),
    EINVAL(22, "Invalid argument"),
    EMFILE(24, "Too many open files"),
    ENOSPC(28, "No space left on device"),
    EPIPE(32, "Broken pipe"),
    ERANGE(34, "Numerical result out of range"),
    ENOSYS(38, "Function not implemented"),
    ENODATA(61, "No data available"),
    EPROTO(71, "Protocol error"),
    EBADMSG(74, "Bad message"),
    EOVERFLOW(75, "Value too large for defined data type"),
    ENOTSOCK(88, "Socket operation on non-socket"),
    EDESTADDRREQ(89, "Destination address required"),
    EMSGSIZE(90, "Message too long"),
    EPROTOTYPE(91, "Protocol wrong type for socket"),
    ENOPROTOOPT(92, "Protocol not available"),
    EPROTONOSUPPORT(93, "Protocol not supported"),
    EOPNOTSUPP(95, "Operation not supported"),
    EAFNOSUPPORT(97, "Address family not supported by protocol"),
    EADDRINUSE(98, "Address already in use"),
    EADDRNOTAVAIL(99, "Cannot assign requested address"),
    ENETDOWN(100, "Network is down"),
    ENETUNREACH(101, "Network is unreachable"),
    ECONNABORTED(103, "Software caused connection abort"),
    ECONNRESET(104, "Connection reset by peer"),
    ENOBUFS(105, "No buffer space available"),
    EISCONN(106, "Transport endpoint is already connected"),
    ENOTCONN(107, "Transport endpoint is not connected"),
    ESHUTDOWN(108, "Cannot send after transport endpoint shutdown"),
    ETIMEDOUT(110, "Connection timed out"),
    ECONNREFUSED(111, "Connection refused"),
    EHOSTDOWN(112, "Host is down"),
    EHOSTUNREACH(113, "No route to host"),
    EALREADY(114, "Operation already in progress"),
    EINPROGRESS(115, "Operation now in progress");

    /** Linux names ENOTSUP and EOPNOTSUPP the same number; this is that value. */
    public static final Errno ENOTSUP = EOPNOTSUPP;
    /** EWOULDBLOCK is EAGAIN on Linux. */
    public static final Errno EWOULDBLOCK = EAGAIN;

    private static final Errno[] BY_CODE = new Errno[128];

    static
    {
        for (final Errno e : values())
        {
            BY_CODE[e.code] = e;
        }
    }

    private final int code;
    private final String description;

    Errno(final int code, final String description)
    {
        this.code = code;
        this.description = description;
    }

    /** @return the Linux errno number. */
    public int code()
    {
        return code;
    }

    /** @return the strerror(3) text. */
    public String description()
    {
        return description;
    }

    /**
     * Looks a number up without allocating.
     *
     * @param code a positive errno number (a negative one is negated first).
     * @return the constant, or {@code null} when the number is not one this enum names.
     */
    public static Errno of(final int code)
    {
        final int c = Math.abs(code);
        return c < BY_CODE.length ? BY_CODE[c] : null;
    }

    /**
     * The symbolic name of a number, for messages.
     *
     * @param code an errno number.
     * @return e.g. {@code "ECONNREFUSED"}, or {@code "errno 200"} for an unknown number.
     */
    public static String nameOf(final int code)
    {
        final Errno e = of(code);
        return null == e ? "errno " + code : e.name();
    }
}
