package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.provider.tcp.TcpVerbsProvider;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QpType;
import io.rdmasockets.verbs.QueuePairInitAttributes;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.WcStatus;
import io.rdmasockets.verbs.WorkCompletions;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An overrun completion queue keeps every completion, in order (it grows rather than drop one). */
class TcpCompletionQueueOverrunTest
{
    @Test
    void shouldKeepEveryCompletionInOrderWhenOverrun() throws Exception
    {
        try (VerbsContext context = new TcpVerbsProvider().devices().getFirst().open();
            Arena arena = Arena.ofConfined())
        {
            final ProtectionDomain pd = context.allocateProtectionDomain();
            final CompletionQueue cq = context.createCompletionQueue(4, null, 0);
            final TcpQueuePair qp = (TcpQueuePair)pd.createQueuePair(
                new QueuePairInitAttributes(QpType.RC, cq, cq, 16, 16, 1, 1, 0, false));
            qp.toInit();
            final ReceiveWorkRequest wr = new ReceiveWorkRequest(0);
            for (int i = 0; i < 6; i++)
            {
                assertEquals(0, qp.postReceive(wr.wrId(i)));
            }
            qp.modifyToError();
            assertEquals(QpState.ERR, qp.state());
            final WorkCompletions wc = new WorkCompletions(16, arena);
            assertEquals(6, cq.poll(wc), "six flushes into a queue of four, none lost");
            for (int i = 0; i < 6; i++)
            {
                assertEquals(i, wc.wrId(i));
                assertEquals(WcStatus.WR_FLUSH_ERR, wc.status(i));
            }
            qp.close();
            cq.close();
            pd.close();
        }
    }
}
