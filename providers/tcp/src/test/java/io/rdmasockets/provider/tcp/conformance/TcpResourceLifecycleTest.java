package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.verbs.ResourceLifecycleConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link ResourceLifecycleConformance} on the tcp provider. */
class TcpResourceLifecycleTest extends ResourceLifecycleConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
