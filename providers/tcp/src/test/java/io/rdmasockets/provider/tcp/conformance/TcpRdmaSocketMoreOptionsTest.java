package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.RdmaSocketMoreOptionsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link RdmaSocketMoreOptionsConformance} on the tcp provider. */
class TcpRdmaSocketMoreOptionsTest extends RdmaSocketMoreOptionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
