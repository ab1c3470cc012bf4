package io.rdmasockets.verbs.support;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildCountTest
{
    @Test
    void shouldRefuseToCloseWithChildrenAndToAddOnceClosed() throws Exception
    {
        final ChildCount pd = new ChildCount("protection domain");
        pd.add();
        pd.add();
        final VerbsException busy = assertThrows(VerbsException.class, pd::close);
        assertEquals(Errno.EBUSY.code(), busy.errno());
        assertTrue(busy.getMessage().contains("close protection domain: 2 children still open"), busy.getMessage());
        assertTrue(pd.isOpen());
        pd.remove();
        pd.remove();
        assertTrue(pd.close());
        assertFalse(pd.isOpen());
        assertFalse(pd.close(), "a second close reports that it was closed already");
        assertEquals(Errno.EBADF.code(), assertThrows(VerbsException.class, pd::add).errno());
    }

    @Test
    void shouldStayOpenWhenTheDestroyStepFails() throws Exception
    {
        final ChildCount cq = new ChildCount("completion queue");
        final VerbsException failure = new VerbsException(Errno.EIO, "destroy failed");
        assertEquals(failure, assertThrows(VerbsException.class, () -> cq.close(() -> { throw failure; })));
        assertTrue(cq.isOpen());
        final int[] runs = {0};
        assertTrue(cq.close(() -> runs[0]++));
        assertEquals(1, runs[0]);
        assertFalse(cq.isOpen());
    }
}
