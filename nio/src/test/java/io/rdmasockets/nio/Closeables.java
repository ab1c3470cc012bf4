package io.rdmasockets.nio;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed in reverse order after it ({@code @AfterEach}). */
final class Closeables
{
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** @return {@code c}, to be closed after the test. */
    <T extends AutoCloseable> T track(final T c)
    {
        opened.add(c);
        return c;
    }

    /** Closes what was tracked, last first. */
    void close() throws Exception
    {
        for (final AutoCloseable c : opened.reversed())
        {
            c.close();
        }
        opened.clear();
    }
}
