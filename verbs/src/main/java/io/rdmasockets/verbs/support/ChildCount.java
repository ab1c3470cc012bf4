package io.rdmasockets.verbs.support;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;

/**
 * Open/closed state plus a count of live children, for a provider's parent resources (context,
 * protection domain, channels, completion queue): closing a parent that still has children fails with
 * EBUSY as in libibverbs, and nothing is added to a closed parent (EBADF).
 *
 * <p><b>Note:</b> thread safe.
 */
public final class ChildCount
{
    /** A step run by {@link #close(Destroy)} before the state changes, e.g. freeing native memory. */
    @FunctionalInterface
    public interface Destroy
    {
        /** @throws VerbsException as it fails; the parent then stays open. */
        void run() throws VerbsException;
    }

    private final String what;
    private int count;
    private boolean open = true;

    /** @param what names the resource in error messages, e.g. "protection domain". */
    public ChildCount(final String what)
    {
        this.what = what;
    }

    /** @return false once closed. */
    public synchronized boolean isOpen()
    {
        return open;
    }

    /** @throws VerbsException EBADF when closed. */
    public synchronized void add() throws VerbsException
    {
        if (!open)
        {
            throw new VerbsException(Errno.EBADF, what + " is closed");
        }
        count++;
    }

    /** A child was destroyed. */
    public synchronized void remove()
    {
        count--;
    }

    /**
     * @return true when this call closed it; false when it was closed already.
     * @throws VerbsException EBUSY while children are open.
     */
    public boolean close() throws VerbsException
    {
        return close(null);
    }

    /**
     * Closes when no child is left, running {@code destroy} first; a failing destroy leaves it open.
     *
     * @param destroy releases what the resource holds, or null.
     * @return true when this call closed it; false when it was closed already.
     * @throws VerbsException EBUSY while children are open, or as {@code destroy} fails.
     */
    public synchronized boolean close(final Destroy destroy) throws VerbsException
    {
        if (!open)
        {
            return false;
        }
        if (count > 0)
        {
            throw new VerbsException(Errno.EBUSY, "close " + what + ": " + count + " children still open");
        }
        if (null != destroy)
        {
            destroy.run();
        }
        open = false;
        return true;
    }
}
