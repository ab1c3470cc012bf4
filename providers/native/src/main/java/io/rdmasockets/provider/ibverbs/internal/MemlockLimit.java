package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Explains an {@code ibv_reg_mr} ENOMEM. Registration pins pages, and the kernel counts them against
 * RLIMIT_MEMLOCK (unless the process has CAP_IPC_LOCK); the default limit on many distributions (64 KiB
 * to 8 MiB) is smaller than a few rsockets' buffers, and "Cannot allocate memory" alone does not say so.
 */
final class MemlockLimit
{
    private static final Path LIMITS = Path.of("/proc/self/limits");
    private static final String ROW = "Max locked memory";

    private MemlockLimit()
    {
    }

    /**
     * @param failure the ENOMEM from ibv_reg_mr.
     * @param bytes   the registration's length.
     * @return the same errno with the limit and how to raise it.
     */
    static VerbsException explain(final VerbsException failure, final long bytes)
    {
        return new VerbsException(Errno.ENOMEM, "ibv_reg_mr(" + bytes + " bytes): Cannot allocate memory; " +
            "registered memory is locked, and the locked-memory limit (RLIMIT_MEMLOCK) is " + describe(readLimit()) +
            ": raise it (`ulimit -l unlimited` in the shell, `* - memlock unlimited` in " +
            "/etc/security/limits.conf, LimitMEMLOCK=infinity for a systemd service, " +
            "--ulimit memlock=-1 for a container) or register less", failure);
    }

    /** @return the soft limit in bytes, -1 for unlimited, -2 when unknown. */
    static long readLimit()
    {
        try
        {
            return parse(Files.readAllLines(LIMITS));
        }
        catch (final IOException | RuntimeException ex)
        {
            return -2;
        }
    }

    /**
     * @param lines /proc/self/limits.
     * @return the soft limit of "Max locked memory" in bytes, -1 for unlimited, -2 when absent.
     */
    static long parse(final List<String> lines)
    {
        for (final String line : lines)
        {
            if (line.startsWith(ROW))
            {
                final String soft = line.substring(ROW.length()).trim().split("\\s+")[0];
                return "unlimited".equals(soft) ? -1 : Long.parseLong(soft);
            }
        }
        return -2;
    }

    private static String describe(final long limit)
    {
        if (-1 == limit)
        {
            return "unlimited (so the device or the kernel is out of memory)";
        }
        return -2 == limit ? "unknown" : limit / 1024 + " KiB";
    }
}
