package io.rdmasockets.common;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class ErrnoTest
{
    @Test
    void shouldUseLinuxNumbers()
    {
        assertEquals(111, Errno.ECONNREFUSED.code());
        assertEquals(11, Errno.EWOULDBLOCK.code());
        assertEquals(95, Errno.ENOTSUP.code());
        assertSame(Errno.ECONNRESET, Errno.of(104));
        assertSame(Errno.ECONNRESET, Errno.of(-104));
        assertNull(Errno.of(3000));
        assertEquals("errno 3000", Errno.nameOf(3000));
    }

    @Test
    void shouldPutErrnoNameFirstInMessages()
    {
        final ErrnoException e = new ErrnoException(Errno.ECONNREFUSED, "connect to 127.0.0.1:7471");
        assertEquals("ECONNREFUSED: connect to 127.0.0.1:7471: Connection refused", e.getMessage());
        assertEquals(111, e.errno());
        assertSame(Errno.ECONNREFUSED, e.errnoConstant());
        assertEquals("errno 250: x: ", new ErrnoException(250, "x", null).getMessage());
    }
}
