package io.rdmasockets.testsuite;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.CompletionChannel;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.ProtectionDomain;
import io.rdmasockets.verbs.QpState;
import io.rdmasockets.verbs.QueuePair;
import io.rdmasockets.verbs.ReceiveWorkRequest;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;
import io.rdmasockets.verbs.cm.CmEvent;
import io.rdmasockets.verbs.cm.CmEventType;
import io.rdmasockets.verbs.cm.CmId;
import io.rdmasockets.verbs.cm.PortSpace;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.rdmasockets.testsuite.Tests.DEFAULT_TIMEOUT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * One side of an RC connection made through the connection manager: the id, a completion channel, a
 * send and a receive completion queue on it, the queue pair (in the id's default protection domain, as
 * rsocket does), registered memory from a shared arena, and reusable work requests.
 *
 * <p><b>Note:</b> not thread safe; the work requests and the completion array belong to the test thread.
 */
public final class RcEndpoint implements AutoCloseable
{
    /** Names the side in messages: "client" or "server". */
    public final String name;
    /** Where the id's events arrive (the listener's queue for a passive side). */
    public final CmEventQueue events;
    /** The id. */
    public final CmId id;
    /** The device context of the id. */
    public final VerbsContext context;
    /** The protection domain of the queue pair and regions. */
    public final ProtectionDomain pd;
    /** The channel both completion queues report to. */
    public final CompletionChannel completionChannel;
    /** Send completions. */
    public final CompletionQueue sendCq;
    /** Receive completions. */
    public final CompletionQueue recvCq;
    /** The queue pair. */
    public final QueuePair qp;
    /** Owns the registered memory; shared because providers may touch it from their own threads. */
    public final Arena arena = Arena.ofShared();
    /** Completion array for polling. */
    public final WorkCompletions wc = new WorkCompletions(64, arena);

    private final boolean ownsEvents;
    private final List<MemoryRegion> regions = new ArrayList<>();
    private final SendWorkRequest sendWr = new SendWorkRequest(8);
    private final ReceiveWorkRequest recvWr = new ReceiveWorkRequest(8);

    private RcEndpoint(
        final String name, final CmEventQueue events, final boolean ownsEvents, final CmId id, final PairSpec spec)
        throws VerbsException
    {
        this.name = name;
        this.events = events;
        this.ownsEvents = ownsEvents;
        this.id = id;
        context = id.verbsContext();
        assertNotNull(context, name + ": id has no verbs context after resolution");
        pd = id.protectionDomain();
        assertNotNull(pd, name + ": id has no protection domain after resolution");
        CompletionChannel ch = null;
        CompletionQueue scq = null;
        CompletionQueue rcq = null;
        try
        {
            ch = context.createCompletionChannel();
            scq = context.createCompletionQueue(spec.cqEntries(), ch, 0);
            rcq = context.createCompletionQueue(spec.cqEntries(), ch, 0);
            qp = id.createQueuePair(null, spec.attributes(scq, rcq));
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            closeQuietly(rcq);
            closeQuietly(scq);
            closeQuietly(ch);
            arena.close();
            throw e;
        }
        completionChannel = ch;
        sendCq = scq;
        recvCq = rcq;
    }

    /**
     * Active side up to, not including, connect: own event channel, resolve address and route, queue pair.
     *
     * @param provider    the provider.
     * @param destination the listener's address.
     * @param spec        sizes.
     * @return the endpoint; call {@code id.connect(spec.connectParameters())} next.
     * @throws VerbsException when a verb fails.
     */
    public static RcEndpoint resolve(
        final VerbsProvider provider, final InetSocketAddress destination, final PairSpec spec) throws VerbsException
    {
        final CmEventQueue events = new CmEventQueue(provider.connectionManager().createEventChannel());
        CmId id = null;
        try
        {
            id = provider.connectionManager().createId(events.channel(), PortSpace.TCP, "client");
            resolveRoute(events, id, destination);
            return new RcEndpoint("client", events, true, id, spec);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            closeQuietly(id);
            closeQuietly(events);
            throw e;
        }
    }

    /**
     * Resolves address and route of an active id.
     *
     * @param events      the id's events.
     * @param id          the id.
     * @param destination where to.
     * @throws VerbsException when a verb fails.
     */
    public static void resolveRoute(final CmEventQueue events, final CmId id, final InetSocketAddress destination)
        throws VerbsException
    {
        id.resolveAddress(null, destination, Duration.ofSeconds(5));
        final CmEvent addr = events.next(id, DEFAULT_TIMEOUT);
        assertEquals(CmEventType.ADDR_RESOLVED, addr.type(), () -> "resolveAddress(" + destination + "): " + addr);
        id.resolveRoute(Duration.ofSeconds(5));
        final CmEvent route = events.next(id, DEFAULT_TIMEOUT);
        assertEquals(CmEventType.ROUTE_RESOLVED, route.type(), () -> "resolveRoute(" + destination + "): " + route);
    }

    /**
     * Passive side of a CONNECT_REQUEST, before accept or reject.
     *
     * @param listener the listener whose channel carries the new id's events.
     * @param request  the CONNECT_REQUEST.
     * @param spec     sizes.
     * @return the endpoint; call {@code id.accept(...)} next.
     * @throws VerbsException when a verb fails.
     */
    public static RcEndpoint forRequest(final Listener listener, final CmEvent request, final PairSpec spec)
        throws VerbsException
    {
        assertEquals(CmEventType.CONNECT_REQUEST, request.type(), "not a connect request");
        try
        {
            return new RcEndpoint("server", listener.events, false, request.id(), spec);
        }
        catch (final VerbsException | RuntimeException | Error e)
        {
            closeQuietly(request.id());
            throw e;
        }
    }

    /**
     * Registers fresh zeroed memory.
     *
     * @param length bytes.
     * @param access {@link Access} flags.
     * @return the region, closed with the endpoint.
     * @throws VerbsException when registration fails.
     */
    public MemoryRegion register(final long length, final int access) throws VerbsException
    {
        return register(arena.allocate(length, 64), access);
    }

    /**
     * Registers a segment.
     *
     * @param segment native memory that outlives the endpoint.
     * @param access  {@link Access} flags.
     * @return the region, closed with the endpoint.
     * @throws VerbsException when registration fails.
     */
    public MemoryRegion register(final MemorySegment segment, final int access) throws VerbsException
    {
        final MemoryRegion mr = pd.registerMemory(segment, access);
        regions.add(mr);
        return mr;
    }

    /**
     * Registers memory filled with a pattern.
     *
     * @param length bytes.
     * @param access flags.
     * @param seed   the {@link Tests#fill pattern}.
     * @return the region.
     * @throws VerbsException when registration fails.
     */
    public MemoryRegion registerFilled(final long length, final int access, final int seed) throws VerbsException
    {
        final MemoryRegion mr = register(length, access);
        Tests.fill(mr.segment(), seed);
        return mr;
    }

    /** @return the reusable send request, reset. */
    public SendWorkRequest sendWr()
    {
        return sendWr.reset();
    }

    /** @return the reusable receive request, reset. */
    public ReceiveWorkRequest recvWr()
    {
        return recvWr.reset();
    }

    /**
     * Posts a receive of one entry and asserts it was taken.
     *
     * @param wrId   id.
     * @param mr     region.
     * @param offset offset in the region.
     * @param length bytes.
     */
    public void postReceive(final long wrId, final MemoryRegion mr, final long offset, final int length)
    {
        final ReceiveWorkRequest wr = recvWr().wrId(wrId);
        wr.sgl().add(mr, offset, length);
        postReceive(wr);
    }

    /**
     * Posts a receive without scatter/gather entries (for WRITE_WITH_IMM and empty sends).
     *
     * @param wrId id.
     */
    public void postEmptyReceive(final long wrId)
    {
        postReceive(recvWr().wrId(wrId));
    }

    /**
     * Posts a receive and asserts it was taken.
     *
     * @param wr the request.
     */
    public void postReceive(final ReceiveWorkRequest wr)
    {
        final int rc = qp.postReceive(wr);
        assertEquals(0, rc, () -> name + ": postReceive(wrId=" + wr.wrId() + ") returned " +
            Errno.nameOf(rc));
    }

    /**
     * Posts a one-entry send request of any opcode and asserts it was taken.
     *
     * @param wrId          id.
     * @param opcode        {@link WrOpcode}.
     * @param flags         {@link io.rdmasockets.verbs.SendFlags}.
     * @param mr            local region, or {@code null} for no entry.
     * @param offset        offset in it.
     * @param length        bytes.
     * @param remoteAddress peer address (writes, reads).
     * @param rkey          peer key.
     * @param imm           immediate.
     */
    public void post(
        final long wrId, final int opcode, final int flags, final MemoryRegion mr, final long offset, final int length,
        final long remoteAddress, final int rkey, final int imm)
    {
        final SendWorkRequest wr = sendWr().wrId(wrId).opcode(opcode).flags(flags).remote(remoteAddress, rkey)
            .immData(imm);
        if (null != mr)
        {
            wr.sgl().add(mr, offset, length);
        }
        post(wr);
    }

    /**
     * Posts a send request and asserts it was taken.
     *
     * @param wr the request.
     */
    public void post(final SendWorkRequest wr)
    {
        final int rc = qp.postSend(wr);
        assertEquals(0, rc, () -> name + ": postSend(wrId=" + wr.wrId() + ", " +
            WrOpcode.toString(wr.opcode()) + ") returned " +
            Errno.nameOf(rc));
    }

    /**
     * @param count how many.
     * @return exactly that many send completions, within {@link Tests#DEFAULT_TIMEOUT}.
     */
    public List<Wc> awaitSendCompletions(final int count)
    {
        return Tests.pollExactly(sendCq, wc, count, DEFAULT_TIMEOUT, name + " send CQ");
    }

    /**
     * @param count how many.
     * @return exactly that many receive completions, within {@link Tests#DEFAULT_TIMEOUT}.
     */
    public List<Wc> awaitRecvCompletions(final int count)
    {
        return Tests.pollExactly(recvCq, wc, count, DEFAULT_TIMEOUT, name + " receive CQ");
    }

    /** @return the one next send completion. */
    public Wc awaitSendCompletion()
    {
        return awaitSendCompletions(1).getFirst();
    }

    /** @return the one next receive completion. */
    public Wc awaitRecvCompletion()
    {
        return awaitRecvCompletions(1).getFirst();
    }

    /**
     * @param quiet how long to watch.
     * @return the send completions that arrive within that time (none, usually).
     */
    public List<Wc> sendCompletionsWithin(final Duration quiet)
    {
        return Tests.pollUpTo(sendCq, wc, Integer.MAX_VALUE, quiet);
    }

    /**
     * @param quiet how long to watch.
     * @return the receive completions that arrive within that time.
     */
    public List<Wc> recvCompletionsWithin(final Duration quiet)
    {
        return Tests.pollUpTo(recvCq, wc, Integer.MAX_VALUE, quiet);
    }

    /**
     * Waits for the queue pair to reach a state.
     *
     * @param state the state.
     */
    public void awaitState(final QpState state)
    {
        Tests.await(() -> qp.state() == state, DEFAULT_TIMEOUT,
            () -> name + " QP should reach " + state + " but is " + qp.state());
    }

    /**
     * Destroys id and queue pair, regions, queues, channel and memory, in that order; the first failure is
     * thrown after everything was attempted.
     */
    @Override
    public void close()
    {
        final List<Throwable> failures = new ArrayList<>();
        run(failures, id::close);
        if (qp.isOpen())
        {
            run(failures, qp::close);
        }
        for (final MemoryRegion mr : regions)
        {
            run(failures, mr::close);
        }
        run(failures, sendCq::close);
        run(failures, recvCq::close);
        run(failures, completionChannel::close);
        if (ownsEvents)
        {
            run(failures, events::close);
        }
        run(failures, arena::close);
        if (!failures.isEmpty())
        {
            final AssertionError e = new AssertionError(name + ": closing failed: " + failures.getFirst(),
                failures.getFirst());
            failures.stream().skip(1).forEach(e::addSuppressed);
            throw e;
        }
    }

    static void run(final List<Throwable> failures, final Tests.ThrowingCall call)
    {
        try
        {
            call.run();
        }
        catch (final Exception | AssertionError e)
        {
            failures.add(e);
        }
    }

    static void closeQuietly(final AutoCloseable c)
    {
        if (null != c)
        {
            try
            {
                c.close();
            }
            catch (final Exception ignore)
            {
                // Cleanup after a failure that is already being reported.
            }
        }
    }

    @Override
    public String toString()
    {
        return name + "[qp=" + qp.qpNumber() + ", " + qp.state() + "]";
    }
}
