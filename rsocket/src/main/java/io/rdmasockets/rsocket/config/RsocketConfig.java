package io.rdmasockets.rsocket.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The process-wide rsocket defaults that rsocket(7) reads from files in {@code /etc/rdma/rsocket}
 * (wire-protocol doc section 6.1, {@code rs_configure}). A missing file keeps C's internal default. A
 * file that does not start with a number in range is reported in {@link #problems()} (and logged by
 * {@link #load()}) and its default is kept; C silently keeps the default there too, but says nothing.
 *
 * @param memDefault      {@code mem_default}: receive ring bytes ({@code rbuf_size}), at least 1.
 * @param wmemDefault     {@code wmem_default}: send ring bytes; below 2048 becomes 4096, as in C.
 * @param sqSizeDefault   {@code sqsize_default}: send queue work requests, 0..65535.
 * @param rqSizeDefault   {@code rqsize_default}: receive queue work requests = credits advertised.
 * @param inlineDefault   {@code inline_default}: inline send bytes, 0..65535.
 * @param iomapSize       {@code iomap_size}: iomap entries the peer may publish, rounded through the
 *                        8-bit scale encoding.
 * @param pollingTimeUs   {@code polling_time}: microseconds to spin before blocking.
 * @param wakeUpIntervalMs {@code wake_up_interval}: longest single sleep inside rpoll, milliseconds.
 * @param source          the directory read, for messages.
 * @param problems        what was wrong with which file; empty when all was well.
 */
public record RsocketConfig(
    int memDefault,
    int wmemDefault,
    int sqSizeDefault,
    int rqSizeDefault,
    int inlineDefault,
    int iomapSize,
    int pollingTimeUs,
    int wakeUpIntervalMs,
    Path source,
    List<String> problems)
{
    /** System property naming another configuration directory (tests use it). */
    public static final String DIR_PROP_NAME = "rdmasockets.rsocket.config.dir";
    /** Environment variable naming another configuration directory (the property wins). */
    public static final String DIR_ENV_NAME = "RDMASOCKETS_RSOCKET_CONFIG_DIR";
    /** Where librdmacm reads its files ({@code RS_CONF_DIR} for a /etc sysconfdir). */
    public static final Path DIR_DEFAULT = Path.of("/etc/rdma/rsocket");

    /** C's {@code def_mem}. */
    public static final int MEM_DEFAULT = 1 << 17;
    /** C's {@code def_wmem}. */
    public static final int WMEM_DEFAULT = 1 << 17;
    /** C's {@code def_sqsize}. */
    public static final int SQ_SIZE_DEFAULT = 384;
    /** C's {@code def_rqsize}. */
    public static final int RQ_SIZE_DEFAULT = 384;
    /** C's {@code def_inline}. */
    public static final int INLINE_DEFAULT = 64;
    /** C's {@code def_iomap_size}. */
    public static final int IOMAP_SIZE_DEFAULT = 0;
    /** C's {@code polling_time}. */
    public static final int POLLING_TIME_US_DEFAULT = 10;
    /** C's {@code wake_up_interval} since rdma-core v63. */
    public static final int WAKE_UP_INTERVAL_MS_DEFAULT = 500;
    /** {@code RS_SNDLOWAT}. */
    public static final int SNDLOWAT = 2048;

    /** Freezes the problem list. */
    public RsocketConfig
    {
        problems = List.copyOf(problems);
    }

    /** @return C's built-in defaults, as if no file existed. */
    public static RsocketConfig defaults()
    {
        return new RsocketConfig(MEM_DEFAULT, WMEM_DEFAULT, SQ_SIZE_DEFAULT, RQ_SIZE_DEFAULT, INLINE_DEFAULT,
            IOMAP_SIZE_DEFAULT, POLLING_TIME_US_DEFAULT, WAKE_UP_INTERVAL_MS_DEFAULT, null, List.of());
    }

    /**
     * @return the process-wide configuration: {@link #load()} once, on first use, as C's {@code rs_configure}
     *         runs on the first {@code rsocket()}. Every socket API of the process shares it.
     */
    public static RsocketConfig process()
    {
        return Process.CONFIG;
    }

    /** Loaded when first asked for, never in a public class's initialiser. */
    private static final class Process
    {
        static final RsocketConfig CONFIG = load();
    }

    /** @return the directory named by {@value #DIR_PROP_NAME}, else {@value #DIR_ENV_NAME}, else /etc. */
    public static Path directory()
    {
        String dir = System.getProperty(DIR_PROP_NAME);
        if (null == dir || dir.isBlank())
        {
            dir = System.getenv(DIR_ENV_NAME);
        }
        return null == dir || dir.isBlank() ? DIR_DEFAULT : Path.of(dir.trim());
    }

    /**
     * Reads {@link #directory()} and logs each problem as a warning.
     *
     * @return the configuration.
     */
    public static RsocketConfig load()
    {
        final RsocketConfig config = load(directory());
        final System.Logger log = System.getLogger(RsocketConfig.class.getName());
        for (final String problem : config.problems())
        {
            log.log(System.Logger.Level.WARNING, "rsocket configuration: " + problem);
        }
        return config;
    }

    /**
     * Reads one directory; never throws for bad or unreadable files.
     *
     * @param dir the directory; it need not exist.
     * @return the configuration, with {@link #problems()} saying what was ignored.
     */
    public static RsocketConfig load(final Path dir)
    {
        final List<String> problems = new ArrayList<>();
        final Reader r = new Reader(dir, problems);
        final int mem = Math.max(1, r.read("mem_default", MEM_DEFAULT, 0, Integer.MAX_VALUE));
        int wmem = r.read("wmem_default", WMEM_DEFAULT, 0, Integer.MAX_VALUE);
        if (wmem < SNDLOWAT)
        {
            wmem = SNDLOWAT << 1;
        }
        final int sq = r.read("sqsize_default", SQ_SIZE_DEFAULT, 0, 0xFFFF);
        final int rq = r.read("rqsize_default", RQ_SIZE_DEFAULT, 0, 0xFFFF);
        final int inline = r.read("inline_default", INLINE_DEFAULT, 0, 0xFFFF);
        final int iomap = roundIomapSize(r.read("iomap_size", IOMAP_SIZE_DEFAULT, 0, 0xFFFF));
        final int polling = r.read("polling_time", POLLING_TIME_US_DEFAULT, 0, Integer.MAX_VALUE);
        final int wakeUp = r.read("wake_up_interval", WAKE_UP_INTERVAL_MS_DEFAULT, Integer.MIN_VALUE,
            Integer.MAX_VALUE);
        return new RsocketConfig(mem, wmem, sq, rq, inline, iomap, polling, wakeUp, dir, problems);
    }

    /**
     * The value C ends up with: the size survives the 8-bit scale encoding of the connection data.
     *
     * @param entries requested entries.
     * @return entries representable on the wire (0..128, or a multiple of 256).
     */
    public static int roundIomapSize(final int entries)
    {
        final int scale = entries <= 128 ? entries : (0x80 | (entries >> 8)) & 0xFF;
        return scale <= 128 ? scale : (scale & 0x7F) << 8;
    }

    /** Parses like fscanf("%u"): optional blanks, then digits; anything after the number is ignored. */
    private record Reader(Path dir, List<String> problems)
    {
        int read(final String name, final int fallback, final long min, final long max)
        {
            final Path file = dir.resolve(name);
            final String text;
            try
            {
                text = Files.readString(file, StandardCharsets.UTF_8);
            }
            catch (final NoSuchFileException e)
            {
                return fallback;
            }
            catch (final IOException | RuntimeException e)
            {
                problems.add(file + ": unreadable (" + e + "); using the default " + fallback);
                return fallback;
            }
            final String s = text.strip();
            int end = 0;
            if (end < s.length() && (s.charAt(end) == '-' || s.charAt(end) == '+'))
            {
                end++;
            }
            while (end < s.length() && Character.isDigit(s.charAt(end)))
            {
                end++;
            }
            final String digits = s.substring(0, end);
            try
            {
                final long v = Long.parseLong(digits);
                if (v < min || v > max)
                {
                    problems.add(file + ": " + v + " is out of range " + min + ".." + max +
                        "; using the default " + fallback);
                    return fallback;
                }
                return (int)v;
            }
            catch (final NumberFormatException e)
            {
                final String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
                problems.add(file + ": expected a number, found '" + shown + "'; using the default " + fallback);
                return fallback;
            }
        }
    }
}
