package io.rdmasockets.provider.ibverbs.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;

/**
 * Loads libibverbs.so.1 and librdmacm.so.1 once per process and says, in words that tell the user the
 * fix, why the native provider cannot work here: native access not enabled, a library not installed, a
 * symbol missing from an old rdma-core, or no RDMA device.
 */
public final class NativeLibraries
{
    /** The libibverbs soname (the ABI the layouts are written for). */
    public static final String IBVERBS = "libibverbs.so.1";
    /** The librdmacm soname. */
    public static final String RDMACM = "librdmacm.so.1";

    /** Every function the bindings call; an rdma-core without one of them cannot be used. */
    static final List<String> IBVERBS_SYMBOLS = List.of(
        "ibv_get_device_list", "ibv_free_device_list", "ibv_get_device_name", "ibv_get_device_guid",
        "ibv_open_device", "ibv_close_device", "ibv_query_device", "ibv_query_port",
        "ibv_alloc_pd", "ibv_dealloc_pd", "ibv_reg_mr", "ibv_dereg_mr",
        "ibv_create_comp_channel", "ibv_destroy_comp_channel", "ibv_create_cq", "ibv_destroy_cq",
        "ibv_get_cq_event", "ibv_ack_cq_events", "ibv_create_qp", "ibv_modify_qp", "ibv_query_qp", "ibv_destroy_qp");
    static final List<String> RDMACM_SYMBOLS = List.of(
        "rdma_create_event_channel", "rdma_destroy_event_channel", "rdma_create_id", "rdma_destroy_id",
        "rdma_bind_addr", "rdma_listen", "rdma_resolve_addr", "rdma_resolve_route", "rdma_connect",
        "rdma_accept", "rdma_reject", "rdma_disconnect", "rdma_get_cm_event", "rdma_ack_cm_event",
        "rdma_create_qp", "rdma_destroy_qp", "rdma_migrate_id", "rdma_set_option");

    private static final Loaded LOADED = load();

    private NativeLibraries()
    {
    }

    /** @return true when both libraries are loaded with every symbol the bindings need. */
    public static boolean isAvailable()
    {
        return null == LOADED.cause;
    }

    /** @return why the libraries cannot be used, or null. */
    public static Throwable unavailabilityCause()
    {
        return LOADED.cause;
    }

    /**
     * @throws UnsupportedOperationException with {@link #unavailabilityCause()} when unavailable.
     */
    public static void ensureAvailability()
    {
        if (null != LOADED.cause)
        {
            throw new UnsupportedOperationException(LOADED.cause.getMessage(), LOADED.cause);
        }
    }

    /** @return libibverbs' symbols. @throws UnsupportedOperationException when unavailable. */
    static SymbolLookup ibverbs()
    {
        ensureAvailability();
        return LOADED.ibverbs;
    }

    /** @return librdmacm's symbols. @throws UnsupportedOperationException when unavailable. */
    static SymbolLookup rdmacm()
    {
        ensureAvailability();
        return LOADED.rdmacm;
    }

    private static Loaded load()
    {
        final Module module = NativeLibraries.class.getModule();
        if (!module.isNativeAccessEnabled())
        {
            final String who = module.isNamed() ? module.getName() : "ALL-UNNAMED";
            return new Loaded(null, null, new IllegalStateException(
                "native access is not enabled for " + (module.isNamed() ? "module " + who : "the class path") +
                ": run java with --enable-native-access=" + who +
                " (or put 'Enable-Native-Access: ALL-UNNAMED' in an executable JAR's manifest)"));
        }
        final SymbolLookup ibverbs;
        final SymbolLookup rdmacm;
        try
        {
            ibverbs = SymbolLookup.libraryLookup(IBVERBS, Arena.global());
            rdmacm = SymbolLookup.libraryLookup(RDMACM, Arena.global());
        }
        catch (final IllegalArgumentException e)
        {
            return new Loaded(null, null, new IllegalStateException(
                "the RDMA user-space libraries are not installed (" + e.getMessage() + "): install rdma-core's " +
                "libraries, on Debian/Ubuntu 'apt-get install libibverbs1 librdmacm1 ibverbs-providers', " +
                "on RHEL/Fedora 'dnf install libibverbs librdmacm'", e));
        }
        final String missing = firstMissing(ibverbs, IBVERBS, IBVERBS_SYMBOLS) + firstMissing(rdmacm, RDMACM, RDMACM_SYMBOLS);
        if (!missing.isEmpty())
        {
            return new Loaded(null, null, new IllegalStateException(
                "the installed rdma-core is too old or incomplete, missing" + missing +
                ": install rdma-core 28 or newer (Debian bookworm ships 44)"));
        }
        return new Loaded(ibverbs, rdmacm, null);
    }

    private static String firstMissing(final SymbolLookup lookup, final String library, final List<String> symbols)
    {
        final StringBuilder missing = new StringBuilder();
        for (final String symbol : symbols)
        {
            if (lookup.find(symbol).isEmpty())
            {
                missing.append(' ').append(symbol).append(" (").append(library).append(')');
            }
        }
        return missing.toString();
    }

    private record Loaded(SymbolLookup ibverbs, SymbolLookup rdmacm, Throwable cause)
    {
    }
}
