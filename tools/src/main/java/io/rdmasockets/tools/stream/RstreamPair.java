package io.rdmasockets.tools.stream;

import io.rdmasockets.tools.ToolException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Both sides of rstream in one process on loopback: the server on a platform thread of its own (it may
 * busy-loop), the client on the caller's. For the demo and the benchmarks; the CLI runs one side per
 * process, as C.
 */
public final class RstreamPair
{
    private static final String LOOPBACK = "127.0.0.1";

    private RstreamPair()
    {
    }

    /**
     * Runs the server side on a free port of 127.0.0.1, then the client side against it.
     *
     * @param server the server's settings (address, port and timeouts are set here).
     * @param client the client's settings (server address and port are set here).
     * @param limit  how long the whole run may take.
     * @return the client's results.
     * @throws ToolException when either side fails: the failure that came first.
     */
    public static List<RstreamResult> run(final RstreamSettings server, final RstreamSettings client,
        final Duration limit)
    {
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        server.bind(LOOPBACK).port(0).waitForFirstClient(false).onListening(port::complete);
        final FutureTask<List<RstreamResult>> serverSide = new FutureTask<>(() -> side(server, firstFailure));
        final Thread thread = Thread.ofPlatform().daemon().name("rstream-server").start(serverSide);
        final long deadline = System.nanoTime() + limit.toNanos();
        List<RstreamResult> results = null;
        try
        {
            client.server(LOOPBACK).port(awaitPort(port, serverSide, limit));
            results = side(client, firstFailure);
        }
        catch (final RuntimeException e)
        {
            firstFailure.compareAndSet(null, e);
        }
        try
        {
            serverSide.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        catch (final ExecutionException e)
        {
            firstFailure.compareAndSet(null, new ToolException("server: " + e.getCause(), e.getCause()));
        }
        catch (final TimeoutException | InterruptedException e)
        {
            thread.interrupt();
            firstFailure.compareAndSet(null,
                new ToolException("the server side did not finish within " + limit.toSeconds() + " s", e));
        }
        // The side that failed first has the cause; the other one usually just saw its peer go.
        if (null != firstFailure.get())
        {
            throw firstFailure.get();
        }
        return results;
    }

    private static List<RstreamResult> side(final RstreamSettings settings,
        final AtomicReference<RuntimeException> firstFailure)
    {
        try
        {
            return new Rstream(settings).run();
        }
        catch (final RuntimeException e)
        {
            firstFailure.compareAndSet(null, e);
            throw e;
        }
    }

    private static int awaitPort(final CompletableFuture<Integer> port, final FutureTask<?> serverSide,
        final Duration limit)
    {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() - deadline < 0)
        {
            try
            {
                return port.get(10, TimeUnit.MILLISECONDS);
            }
            catch (final TimeoutException e)
            {
                if (serverSide.isDone())
                {
                    break;
                }
            }
            catch (final InterruptedException | ExecutionException e)
            {
                throw new ToolException("interrupted while the server started", e);
            }
        }
        throw new ToolException("the server side did not start listening");
    }
}
