package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WcStatus;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Base of every conformance suite. A provider module runs a suite by subclassing it and returning its
 * provider from {@link #provider()}; the suite is skipped when the provider is unavailable here.
 *
 * <p>Tests talk over {@link #testAddress()}: loopback unless the system property {@value #ADDRESS_PROP}
 * names another local address (a native provider over Soft-RoCE needs the rxe interface's address).
 * Whatever a test registers with {@link #closeAfter} is closed after it, newest first.
 */
public abstract class AbstractVerbsTest
{
    /** System property overriding the address tests listen and connect on. */
    public static final String ADDRESS_PROP = "rdmasockets.test.address";

    private final Deque<Tests.ThrowingCall> cleanups = new ArrayDeque<>();
    private Set<DeviceQuirk> quirks;

    /** @return the provider under test. */
    protected abstract VerbsProvider provider();

    /** Skips the whole test when the provider cannot work on this machine, saying why. */
    @BeforeEach
    protected final void assumeProviderAvailable()
    {
        final VerbsProvider p = provider();
        assumeTrue(p.isAvailable(), () -> "verbs provider '" + p.name() + "' is unavailable: " +
            p.unavailabilityCause());
    }

    /** Closes what the test registered, newest first; a failing close fails the test. */
    @AfterEach
    protected final void closeRegistered() throws Exception
    {
        Exception first = null;
        while (!cleanups.isEmpty())
        {
            try
            {
                cleanups.pop().run();
            }
            catch (final Exception e)
            {
                if (null == first)
                {
                    first = e;
                }
                else
                {
                    first.addSuppressed(e);
                }
            }
        }
        if (null != first)
        {
            throw first;
        }
    }

    /**
     * Registers a cleanup to run after the test.
     *
     * @param cleanup what to run.
     */
    protected final void onCleanup(final Tests.ThrowingCall cleanup)
    {
        cleanups.push(cleanup);
    }

    /**
     * Registers a resource to close after the test.
     *
     * @param resource the resource.
     * @param <T>      its type.
     * @return the resource.
     */
    protected final <T extends AutoCloseable> T closeAfter(final T resource)
    {
        cleanups.push(resource::close);
        return resource;
    }

    /** @return the known departures from the specification of the provider's devices ({@link DeviceQuirk}). */
    protected final Set<DeviceQuirk> quirks()
    {
        Set<DeviceQuirk> q = quirks;
        if (null == q)
        {
            q = DeviceQuirk.of(provider());
            quirks = q;
        }
        return q;
    }

    /**
     * Asserts a local error completion: {@code expected}, or {@code LOC_QP_OP_ERR} on a device known to report
     * every local error so ({@link DeviceQuirk#LOCAL_ERRORS_AS_QP_OP_ERR}).
     *
     * @param expected the specification's status.
     * @param wc       the completion.
     */
    protected final void assertLocalError(final WcStatus expected, final Wc wc)
    {
        if (quirks().contains(DeviceQuirk.LOCAL_ERRORS_AS_QP_OP_ERR) && WcStatus.LOC_QP_OP_ERR == wc.status())
        {
            return;
        }
        assertEquals(expected, wc.status(), wc::toString);
    }

    /** @return the address tests listen and connect on. */
    public static InetAddress testAddress()
    {
        final String configured = System.getProperty(ADDRESS_PROP);
        if (null == configured || configured.isBlank())
        {
            return InetAddress.getLoopbackAddress();
        }
        try
        {
            return InetAddress.getByName(configured.trim());
        }
        catch (final UnknownHostException e)
        {
            throw new IllegalStateException(ADDRESS_PROP + "=" + configured + " does not resolve", e);
        }
    }

    /**
     * @return a connected pair with default sizes, closed after the test.
     * @throws VerbsException when a verb fails.
     */
    protected final RcPair connectPair() throws VerbsException
    {
        return connectPair(PairSpec.defaults());
    }

    /**
     * @param spec sizes and private data.
     * @return a connected pair, closed after the test.
     * @throws VerbsException when a verb fails.
     */
    protected final RcPair connectPair(final PairSpec spec) throws VerbsException
    {
        return closeAfter(RcPair.connect(provider(), testAddress(), spec));
    }

    /**
     * @return a context on the provider's first device, closed after the test.
     * @throws VerbsException when a verb fails.
     */
    protected final VerbsContext openContext() throws VerbsException
    {
        final List<VerbsDevice> devices = provider().devices();
        assertFalse(devices.isEmpty(), () -> "provider '" + provider().name() + "' lists no device");
        return closeAfter(devices.getFirst().open());
    }

    /** @return the names of the live threads, to find leaks. */
    protected static Set<String> liveThreadNames()
    {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
            .map(t -> t.getName() + "#" + t.threadId()).collect(Collectors.toSet());
    }

    /**
     * Asserts that the threads started since {@code before} end within the deadline, allowing a few
     * (a provider may keep a bounded pool), so that connections do not leak threads.
     *
     * @param before  {@link #liveThreadNames()} taken earlier.
     * @param slack   how many new threads may remain.
     * @param timeout the deadline.
     */
    protected static void assertThreadsSettle(final Set<String> before, final int slack, final Duration timeout)
    {
        Tests.await(() -> newThreads(before).size() <= slack, timeout,
            () -> "provider threads leaked: " + newThreads(before));
    }

    private static List<String> newThreads(final Set<String> before)
    {
        final List<String> now = new ArrayList<>(liveThreadNames());
        now.removeAll(before);
        now.removeIf(n -> n.startsWith("surefire") || n.startsWith("junit") || n.startsWith("Common-Cleaner") ||
            n.startsWith("Attach Listener") || n.startsWith("process reaper"));
        return now;
    }
}
