package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;

/**
 * Open/closed plus a count of live children, so that closing a parent with children fails with EBUSY
 * as in libibverbs, and nothing is added to a closed parent.
 *
 * <p><b>Note:</b> thread safe.
 */
final class Children
{
    private final String what;
    private int count;
    private boolean open = true;

    Children(final String what)
    {
        this.what = what;
    }

    synchronized boolean isOpen()
    {
        return open;
    }

    /** @throws VerbsException EBADF when closed. */
    synchronized void add() throws VerbsException
    {
        if (!open)
        {
            throw new VerbsException(Errno.EBADF, what + " is closed");
        }
        count++;
    }

    synchronized void remove()
    {
        count--;
    }

    /**
     * Closes when no child is left, running {@code destroy} first; a failing destroy leaves it open.
     *
     * @param destroy releases the native resource.
     * @return true when this call closed it; false when it was closed already.
     * @throws VerbsException EBUSY with children, or as {@code destroy} fails.
     */
    synchronized boolean close(final NativeAction destroy) throws VerbsException
    {
        if (!open)
        {
            return false;
        }
        if (count > 0)
        {
            throw new VerbsException(Errno.EBUSY, "close " + what + ": " + count + " children still open");
        }
        destroy.run();
        open = false;
        return true;
    }
}
