package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ENOMEM of a registration names the locked-memory limit and how to raise it. */
class MemlockLimitTest
{
    @Test
    void shouldReadTheSoftLimitFromProcLimits()
    {
        assertEquals(8_388_608, MemlockLimit.parse(List.of(
            "Limit                     Soft Limit           Hard Limit           Units",
            "Max processes             95913                95913                processes",
            "Max locked memory         8388608              8388608              bytes")));
        assertEquals(-1, MemlockLimit.parse(List.of("Max locked memory         unlimited            unlimited            bytes")));
        assertEquals(-2, MemlockLimit.parse(List.of("Max open files            1024                 1048576              files")));
    }

    @Test
    void shouldReadThisProcessesLimit()
    {
        final long limit = MemlockLimit.readLimit();
        assertTrue(-1 == limit || limit >= 0, "Linux always lists the row: " + limit);
    }

    @Test
    void shouldKeepTheErrnoAndTellTheFix()
    {
        final VerbsException cause = new VerbsException(Errno.ENOMEM, "ibv_reg_mr(1048576 bytes)");
        final VerbsException e = MemlockLimit.explain(cause, 1 << 20);
        assertEquals(Errno.ENOMEM.code(), e.errno());
        assertSame(cause, e.getCause());
        assertTrue(e.getMessage().contains("ibv_reg_mr(1048576 bytes)"), e.getMessage());
        assertTrue(e.getMessage().contains("RLIMIT_MEMLOCK"), e.getMessage());
        assertTrue(e.getMessage().contains("ulimit -l unlimited"), e.getMessage());
    }
}
