package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.RdmaIomapConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaIomapConformance} on the tcp provider. */
class TcpRdmaIomapTest extends RdmaIomapConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
