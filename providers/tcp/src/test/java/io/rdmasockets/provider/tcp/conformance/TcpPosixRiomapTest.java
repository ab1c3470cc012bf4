package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.RiomapConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RiomapConformance} on the tcp provider. */
class TcpPosixRiomapTest extends RiomapConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
