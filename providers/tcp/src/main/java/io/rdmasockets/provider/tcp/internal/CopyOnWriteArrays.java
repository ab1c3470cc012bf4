package io.rdmasockets.provider.tcp.internal;

import java.util.Arrays;

/** Arrays that readers iterate without a lock and writers replace whole (registration is rare, reads are not). */
final class CopyOnWriteArrays
{
    private CopyOnWriteArrays()
    {
    }

    /** @return {@code a} with {@code e} appended, or {@code a} itself when it holds {@code e} already. */
    static <T> T[] with(final T[] a, final T e)
    {
        for (final T x : a)
        {
            if (x == e)
            {
                return a;
            }
        }
        final T[] grown = Arrays.copyOf(a, a.length + 1);
        grown[a.length] = e;
        return grown;
    }

    /** @return {@code a} without {@code e}, or {@code a} itself when it does not hold it. */
    static <T> T[] without(final T[] a, final T e)
    {
        for (int i = 0; i < a.length; i++)
        {
            if (a[i] == e)
            {
                final T[] shrunk = Arrays.copyOf(a, a.length - 1);
                System.arraycopy(a, i + 1, shrunk, i, a.length - i - 1);
                return shrunk;
            }
        }
        return a;
    }
}
