package io.rdmasockets.nio.routing;

import java.io.IOException;

/** A rule file that cannot be used: the message starts with {@code file:line:} and says what is wrong. */
public final class RuleFileException extends IOException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param source the file name.
     * @param line   the line, 1-based (0 when it concerns the whole file).
     * @param what   what is wrong.
     */
    public RuleFileException(final String source, final int line, final String what)
    {
        super(source + ":" + line + ": " + what);
    }

    /**
     * @param source the file name.
     * @param line   the line.
     * @param what   what is wrong.
     * @param cause  the parser's exception.
     */
    public RuleFileException(final String source, final int line, final String what, final Throwable cause)
    {
        super(source + ":" + line + ": " + what, cause);
    }
}
