package io.rdmasockets.provider.ibverbs.conformance;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** Finds the provider under test through the SPI, as applications do. */
public final class NativeProvider
{
    private NativeProvider()
    {
    }

    /** @return the "native" provider found by {@link Verbs}. */
    public static VerbsProvider get()
    {
        return Verbs.provider("native").orElseThrow(() -> new IllegalStateException(
            "no 'native' provider on the class path; known: " + Verbs.providers()));
    }
}
