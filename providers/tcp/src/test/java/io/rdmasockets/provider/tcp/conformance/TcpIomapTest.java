package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.engine.IomapConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link IomapConformance} on the tcp provider. */
class TcpIomapTest extends IomapConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
