package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.MemoryRegistrationConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link MemoryRegistrationConformance} on the tcp provider. */
class TcpMemoryRegistrationTest extends MemoryRegistrationConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
