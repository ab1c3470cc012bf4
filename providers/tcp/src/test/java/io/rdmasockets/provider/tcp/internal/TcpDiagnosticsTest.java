package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.verbs.VerbsProvider;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link VerbsProvider#diagnostics()} reports: the reactor and each open connection's transport. */
class TcpDiagnosticsTest
{
    @Test
    void shouldDescribeEachOpenConnectionUntilItCloses() throws Exception
    {
        final VerbsProvider provider = new TcpVerbsProvider();
        final String qpLine;
        try (RcPair pair = RcPair.connect(provider, InetAddress.getLoopbackAddress(), PairSpec.defaults()))
        {
            final TcpConnection client = ((TcpQueuePair)pair.client.qp).connection();
            final String text = provider.diagnostics();
            assertTrue(text.contains("rdmasockets-tcp-reactor-0: running=true"), text);
            assertTrue(text.contains(client.toString()), text);
            qpLine = "qp " + pair.client.qp.qpNumber() + ": state=RTS";
            assertTrue(text.contains(qpLine), text);
            for (final String part : new String[] {"cm state=", "inbound: reading=", "reader: readPos=",
                "writer: start=", "cq: head="})
            {
                assertTrue(text.contains(part), part + " missing from:\n" + text);
            }
        }
        final String after = provider.diagnostics();
        assertFalse(after.contains(qpLine), after);
    }
}
