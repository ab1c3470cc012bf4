package io.rdmasockets.provider.tcp.conformance;

import io.rdmasockets.testsuite.rsocket.posix.OptionsConformance;
import io.rdmasockets.verbs.VerbsProvider;

/** Runs {@link OptionsConformance} on the tcp provider. */
class TcpPosixOptionsTest extends OptionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return TcpProvider.get();
    }
}
