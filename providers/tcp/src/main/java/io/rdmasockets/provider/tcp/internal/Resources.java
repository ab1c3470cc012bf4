package io.rdmasockets.provider.tcp.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;

/**
 * Open/closed state plus a count of live children, so that closing a parent with children fails with
 * EBUSY as in libibverbs.
 *
 * <p><b>Note:</b> thread safe.
 */
final class Resources
{
    private final String what;
    private int children;
    private boolean open = true;

    Resources(final String what)
    {
        this.what = what;
    }

    synchronized boolean isOpen()
    {
        return open;
    }

    /** @throws VerbsException EBADF when closed. */
    synchronized void addChild() throws VerbsException
    {
        if (!open)
        {
            throw new VerbsException(Errno.EBADF, what + " is closed");
        }
        children++;
    }

    synchronized void removeChild()
    {
        children--;
    }

    /** @return true when this call closed it; false when already closed. @throws VerbsException EBUSY. */
    synchronized boolean close() throws VerbsException
    {
        if (!open)
        {
            return false;
        }
        if (children > 0)
        {
            throw new VerbsException(Errno.EBUSY, "close " + what + ": " + children + " children still open");
        }
        open = false;
        return true;
    }
}
