package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.ToolException;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The passive side of a benchmark (echo or sink) on its own platform thread, so that it can busy-poll.
 *
 * @param <T> what the side returns when done.
 */
final class PeerThread<T>
{
    private final FutureTask<T> task;
    private final Thread thread;

    PeerThread(final String name, final Callable<T> body)
    {
        task = new FutureTask<>(body);
        thread = Thread.ofPlatform().daemon().name(name).unstarted(task);
    }

    PeerThread<T> start()
    {
        thread.start();
        return this;
    }

    /** @return true when the side has finished, normally or not. */
    boolean isDone()
    {
        return task.isDone();
    }

    /**
     * Throws the side's failure if it has failed, so that the active side reports the cause rather than
     * its own symptom.
     */
    void throwIfFailed()
    {
        if (!task.isDone())
        {
            return;
        }
        try
        {
            task.get();
        }
        catch (final ExecutionException ex)
        {
            if (ex.getCause() instanceof RuntimeException r)
            {
                throw r;
            }
            throw new ToolException(thread.getName() + ": " + ex.getCause(), ex.getCause());
        }
        catch (final InterruptedException | java.util.concurrent.CancellationException ex)
        {
            throw new ToolException(thread.getName() + " was stopped", ex);
        }
    }

    /**
     * @param timeout how long to wait.
     * @return the side's result.
     * @throws Exception the side's failure, or a {@link ToolException} on timeout.
     */
    T join(final Duration timeout) throws Exception
    {
        try
        {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException ex)
        {
            throw ex.getCause() instanceof Exception e ? e : ex;
        }
        catch (final TimeoutException ex)
        {
            thread.interrupt();
            throw new ToolException(thread.getName() + " did not finish within " + timeout.toSeconds() + " s");
        }
    }
}
