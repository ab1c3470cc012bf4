package io.rdmasockets.verbs;

import io.rdmasockets.verbs.cm.ConnectionManager;

import java.util.List;

/**
 * A source of RDMA verbs: real hardware through libibverbs, or a software emulation. Implementations
 * are registered as {@code provides io.rdmasockets.verbs.VerbsProvider} services (and in
 * {@code META-INF/services} for the class path) and found through {@link Verbs}.
 *
 * <p>Availability follows the trio {@link #isAvailable()}, {@link #ensureAvailability()},
 * {@link #unavailabilityCause()}: constructing a provider never fails; a provider that cannot work on
 * this machine says why, in words that tell the user the fix.
 *
 * <p><b>Note:</b> implementations are thread safe.
 */
public interface VerbsProvider
{
    /** @return the short name users select the provider by, e.g. {@code "tcp"} or {@code "native"}. */
    String name();

    /**
     * @return the rank among available providers when none is named: higher wins (native hardware
     *         above shared memory above TCP emulation).
     */
    int priority();

    /** @return true when {@link #devices()} can be called. */
    boolean isAvailable();

    /** @return why the provider is unavailable, or {@code null} when it is available. */
    Throwable unavailabilityCause();

    /**
     * Throws when the provider is unavailable.
     *
     * @throws UnsupportedOperationException with {@link #unavailabilityCause()} as its cause.
     */
    default void ensureAvailability()
    {
        final Throwable cause = unavailabilityCause();
        if (null != cause)
        {
            throw new UnsupportedOperationException(
                "verbs provider '" + name() + "' is unavailable: " + cause.getMessage(), cause);
        }
    }

    /**
     * Lists the devices, as {@code ibv_get_device_list} does.
     *
     * @return the devices; empty when there are none.
     * @throws VerbsException when the provider is unavailable or the list cannot be read.
     */
    List<VerbsDevice> devices() throws VerbsException;

    /**
     * The connection manager that creates {@link io.rdmasockets.verbs.cm.CmId}s whose queue pairs
     * live on this provider's devices.
     *
     * @return the provider's connection manager (one per provider).
     * @throws VerbsException when the provider is unavailable.
     */
    ConnectionManager connectionManager() throws VerbsException;

    /**
     * A human-readable snapshot of the provider's internal state (connections, queues, threads), for
     * diagnosing a stall: tools print it when a completion does not come. It reads state without the
     * locks that guard it, so it never blocks and may be slightly inconsistent.
     *
     * @return the snapshot; empty when the provider has nothing to report.
     */
    default String diagnostics()
    {
        return "";
    }
}
