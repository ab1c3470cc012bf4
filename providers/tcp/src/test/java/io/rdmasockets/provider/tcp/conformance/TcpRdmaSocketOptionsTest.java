package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.RdmaSocketOptionsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketOptionsConformance} on the tcp provider. */
class TcpRdmaSocketOptionsTest extends RdmaSocketOptionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
