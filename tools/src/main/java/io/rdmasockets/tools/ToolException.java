package io.rdmasockets.tools;

/**
 * A failure the user can act on: {@link Rsock} prints its message on one line, without a stack trace
 * (unless {@code --verbose}), and exits non-zero.
 */
public class ToolException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong and, where possible, what to do about it. */
    public ToolException(final String message)
    {
        super(message);
    }

    /**
     * @param message what went wrong.
     * @param cause   the underlying failure, shown with {@code --verbose}.
     */
    public ToolException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
