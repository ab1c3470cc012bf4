package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** Finds the provider under test through the SPI, as applications do. */
final class TcpProvider
{
    private TcpProvider()
    {
    }

    /** @return the "tcp" provider found by {@link Verbs}. */
    static VerbsProvider get()
    {
        return Verbs.provider("tcp").orElseThrow(() -> new IllegalStateException(
            "no 'tcp' provider on the class path; known: " + Verbs.providers()));
    }
}
