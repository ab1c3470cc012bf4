package io.rdmasockets.testsuite;

import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Known ways a device departs from the verbs specification, which the suites tolerate by name rather than
 * by loosening their assertions for everyone: a test that meets one still checks that the operation failed,
 * and how, as far as the device allows. Each constant says which device and why; {@link #of} finds them.
 */
public enum DeviceQuirk
{
    /**
     * Soft-RoCE (rxe, Linux 6.1): local protection and length errors complete with {@code LOC_QP_OP_ERR}
     * instead of {@code LOC_PROT_ERR}/{@code LOC_LEN_ERR} (its {@code finish_packet} maps every error but
     * {@code -EFAULT} to it).
     */
    LOCAL_ERRORS_AS_QP_OP_ERR,
    /**
     * rxe: a WRITE_WITH_IMM refused for a bad rkey completes the target's posted receive with
     * {@code REM_ACCESS_ERR} instead of leaving it to be flushed.
     */
    REFUSED_WRITE_IMM_COMPLETES_RECEIVE,
    /**
     * rxe: {@code retry_count} 7 retries for ever ({@code rxe_completer}: {@code retry_cnt != 7}), where the
     * specification means seven retries; only {@code rnr_retry} 7 is infinite. A request to a destroyed or
     * dead queue pair then never fails, so tests of that use a lower count on such a device.
     */
    RETRY_COUNT_7_IS_INFINITE;

    /**
     * @param provider an available provider.
     * @return the quirks of its devices (all of them: the suites use the first device the provider picks).
     */
    public static Set<DeviceQuirk> of(final VerbsProvider provider)
    {
        final EnumSet<DeviceQuirk> quirks = EnumSet.noneOf(DeviceQuirk.class);
        if (!provider.isAvailable())
        {
            return quirks;
        }
        try
        {
            for (final VerbsDevice device : provider.devices())
            {
                if (device.name().toLowerCase(Locale.ROOT).startsWith("rxe"))
                {
                    quirks.addAll(EnumSet.allOf(DeviceQuirk.class));
                }
            }
        }
        catch (final VerbsException e)
        {
            // No device list, no quirks: the tests report the provider's own failure.
        }
        return quirks;
    }
}
