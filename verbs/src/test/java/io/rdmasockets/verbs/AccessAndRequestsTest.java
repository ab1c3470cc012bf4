package io.rdmasockets.verbs;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AccessAndRequestsTest
{
    @Test
    void shouldRequireLocalWriteForRemoteWriteAsVerbsDoes()
    {
        assertTrue(Access.isValid(0));
        assertTrue(Access.isValid(Access.REMOTE_READ));
        assertTrue(Access.isValid(Access.LOCAL_WRITE | Access.REMOTE_WRITE));
        assertFalse(Access.isValid(Access.REMOTE_WRITE));
        assertFalse(Access.isValid(Access.REMOTE_ATOMIC));
        assertFalse(Access.isValid(1 << 20));
        assertEquals("LOCAL_WRITE|REMOTE_WRITE", Access.toString(Access.LOCAL_WRITE | Access.REMOTE_WRITE));
        assertEquals("0", Access.toString(0));
    }

    @Test
    void shouldReuseWorkRequestsWithoutKeepingOldEntries()
    {
        final SendWorkRequest wr = new SendWorkRequest(2);
        wr.wrId(5).opcode(WrOpcode.RDMA_READ).flags(SendFlags.SIGNALED).remote(0x1000, 7).sgl()
            .add(0x2000, 16, 3).add(0x3000, 32, 3);
        assertEquals(48, wr.sgl().totalLength());
        assertThrows(IndexOutOfBoundsException.class, () -> wr.sgl().add(0x4000, 1, 3));

        wr.reset();
        assertEquals(0, wr.sgl().count());
        assertEquals(WrOpcode.SEND, wr.opcode());
        assertEquals(0, wr.flags());
        assertEquals(0, wr.rkey());
        assertThrows(IndexOutOfBoundsException.class, () -> wr.sgl().address(0));

        final ReceiveWorkRequest rr = new ReceiveWorkRequest(0);
        assertEquals(0, rr.wrId(9).sgl().capacity());
        assertEquals(9, rr.wrId());
    }

    @Test
    void shouldCountUnsignedLengthsAboveTwoGigabytes()
    {
        final ScatterGatherList sgl = new ScatterGatherList(2).add(0, -1, 1).add(0, 1, 1);
        assertEquals(0x1_0000_0000L, sgl.totalLength());
    }

    @Test
    void shouldExplainWhenNoProviderIsNamedSo()
    {
        final String old = System.setProperty(Verbs.PROVIDER_PROP_NAME, "no-such-provider");
        try
        {
            final IllegalStateException e = assertThrows(IllegalStateException.class, Verbs::defaultProvider);
            assertTrue(e.getMessage().contains("no verbs provider named 'no-such-provider'"), e.getMessage());
        }
        finally
        {
            if (null == old)
            {
                System.clearProperty(Verbs.PROVIDER_PROP_NAME);
            }
            else
            {
                System.setProperty(Verbs.PROVIDER_PROP_NAME, old);
            }
        }
    }
}
