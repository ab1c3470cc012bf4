package io.rdmasockets.rsocket.posixsuite;

import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsProvider;

/** {@link OptionsConformance} over the tcp provider. */
class TcpOptionsTest extends OptionsConformance
{
    @Override
    protected VerbsProvider provider()
    {
        return Verbs.provider("tcp").orElseThrow();
    }
}
