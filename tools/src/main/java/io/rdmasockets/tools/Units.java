package io.rdmasockets.tools;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formatting and parsing of sizes, counts, rates and times, shared by every command so that their
 * output reads alike. {@link #sizeStr(long)} and {@link #cntStr(long)} reproduce librdmacm's
 * {@code examples/common.c} exactly, so that {@code rsock} tables line up with {@code rstream}'s.
 */
public final class Units
{
    private static final long KIB = 1L << 10;
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private Units()
    {
    }

    /**
     * C rstream's {@code size_str}: binary k/m/g, one truncated decimal below 10 units.
     *
     * @param size bytes.
     * @return e.g. {@code "64"}, {@code "1.5k"}, {@code "64k"}, {@code "1m"}.
     */
    public static String sizeStr(final long size)
    {
        final long base;
        final String mag;
        if (size >= GIB)
        {
            base = GIB;
            mag = "g";
        }
        else if (size >= MIB)
        {
            base = MIB;
            mag = "m";
        }
        else if (size >= KIB)
        {
            base = KIB;
            mag = "k";
        }
        else
        {
            base = 1;
            mag = "";
        }
        final long fraction = size / base < 10 ? (size % base) * 10 / base : 0;
        return 0 != fraction ? (size / base) + "." + fraction + mag : (size / base) + mag;
    }

    /**
     * C rstream's {@code cnt_str}: decimal k/m/b, truncated.
     *
     * @param count a count.
     * @return e.g. {@code "999"}, {@code "100k"}, {@code "2m"}.
     */
    public static String cntStr(final long count)
    {
        if (count >= 1_000_000_000L)
        {
            return count / 1_000_000_000L + "b";
        }
        if (count >= 1_000_000L)
        {
            return count / 1_000_000L + "m";
        }
        if (count >= 1_000L)
        {
            return count / 1_000L + "k";
        }
        return Long.toString(count);
    }

    /**
     * rstream's results header ({@code examples/rstream.c}), for commands that print rstream's table.
     *
     * @return {@code name bytes xfers iters total time Gb/sec usec/xfer}, in rstream's columns.
     */
    public static String rstreamHeader()
    {
        return String.format(Locale.ROOT, "%-10s%-8s%-8s%-8s%-8s%8s %10s%13s",
            "name", "bytes", "xfers", "iters", "total", "time", "Gb/sec", "usec/xfer");
    }

    /**
     * One rstream results row, in the columns of {@link #rstreamHeader()}: {@code "%8.2fs%10.2f%11.2f"}
     * for seconds, {@link #rstreamGbits} and {@link #rstreamUsecPerXfer}.
     *
     * @param name      the test name, e.g. {@code "64_lat"}.
     * @param size      bytes per transfer.
     * @param transfers transfers per iteration and direction.
     * @param iters     iterations.
     * @param nanos     the run's time.
     * @return the row.
     */
    public static String rstreamRow(
        final String name, final long size, final long transfers, final long iters, final long nanos)
    {
        final long total = rstreamTotal(size, transfers, iters);
        return String.format(Locale.ROOT, "%-10s%-8s%-8s%-8s%-8s%8.2fs%10.2f%11.2f", name, sizeStr(size),
            cntStr(transfers), cntStr(iters), sizeStr(total), nanos / 1e9, rstreamGbits(total, nanos),
            rstreamUsecPerXfer(transfers, iters, nanos));
    }

    /**
     * @param size      bytes per transfer.
     * @param transfers transfers per iteration and direction.
     * @param iters     iterations.
     * @return rstream's {@code total = iters * xfers * size * 2} (both directions).
     */
    public static long rstreamTotal(final long size, final long transfers, final long iters)
    {
        return iters * transfers * size * 2;
    }

    /**
     * @param total bytes moved, see {@link #rstreamTotal}.
     * @param nanos the run's time.
     * @return rstream's {@code Gb/sec = total * 8 / (1000 * usec)}, i.e. 10^9 bit/s.
     */
    public static double rstreamGbits(final long total, final long nanos)
    {
        return total * 8 / (1000 * (nanos / 1e3));
    }

    /**
     * @param transfers transfers per iteration and direction.
     * @param iters     iterations.
     * @param nanos     the run's time.
     * @return rstream's {@code usec/xfer = usec / iters / (xfers * 2)}: half a round trip in latency runs.
     */
    public static double rstreamUsecPerXfer(final long transfers, final long iters, final long nanos)
    {
        return nanos / 1e3 / iters / (transfers * 2);
    }

    /**
     * Parses a size as users write it: {@code 64}, {@code 4k}, {@code 64KiB}, {@code 1m}, {@code 1.5k}.
     *
     * @param text the size; suffixes k/m/g are binary, case-insensitive, with optional {@code b}/{@code ib}.
     * @return bytes.
     * @throws IllegalArgumentException for anything else, or a size below 1.
     */
    public static long parseSize(final String text)
    {
        final String s = text.trim().toLowerCase(Locale.ROOT);
        int end = s.length();
        long multiplier = 1;
        final String unit = s.replaceFirst("^[0-9.]+", "");
        switch (unit)
        {
            case "", "b" -> multiplier = 1;
            case "k", "kb", "kib" -> multiplier = KIB;
            case "m", "mb", "mib" -> multiplier = MIB;
            case "g", "gb", "gib" -> multiplier = GIB;
            default -> throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 64, 4k, 1m)");
        }
        end -= unit.length();
        try
        {
            final double value = Double.parseDouble(s.substring(0, end));
            final long bytes = Math.round(value * multiplier);
            if (bytes < 1)
            {
                throw new IllegalArgumentException("size must be at least 1 byte: '" + text + "'");
            }
            return bytes;
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("not a size: '" + text + "' (use e.g. 64, 4k, 1m)", ex);
        }
    }

    /**
     * @param text comma-separated sizes, e.g. {@code "64,4k,64k"}.
     * @return the sizes in bytes, in the order given.
     */
    public static List<Long> parseSizes(final String text)
    {
        final List<Long> sizes = new ArrayList<>();
        for (final String part : text.split(","))
        {
            if (!part.isBlank())
            {
                sizes.add(parseSize(part));
            }
        }
        if (sizes.isEmpty())
        {
            throw new IllegalArgumentException("no sizes in '" + text + "'");
        }
        return sizes;
    }

    /**
     * Parses a duration as users write it: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 1m}, or ISO-8601.
     *
     * @param text the duration.
     * @return the duration.
     * @throws IllegalArgumentException when it is not one.
     */
    public static Duration parseDuration(final String text)
    {
        final String s = text.trim().toLowerCase(Locale.ROOT);
        try
        {
            if (s.startsWith("p"))
            {
                return Duration.parse(text.trim());
            }
            final String unit = s.replaceFirst("^[0-9.]+", "");
            final double value = Double.parseDouble(s.substring(0, s.length() - unit.length()));
            final double nanosPerUnit = switch (unit)
            {
                case "ns" -> 1;
                case "us" -> 1e3;
                case "ms" -> 1e6;
                case "", "s" -> 1e9;
                case "m", "min" -> 60e9;
                default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
            };
            return Duration.ofNanos(Math.round(value * nanosPerUnit));
        }
        catch (final RuntimeException ex)
        {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use e.g. 500ms, 2s)", ex);
        }
    }

    /**
     * rstream's rate: {@code bytes * 8 / ns}, i.e. 10^9 bits per second.
     *
     * @param bytes bytes moved.
     * @param nanos time taken.
     * @return Gb/s.
     */
    public static double gbitsPerSecond(final long bytes, final long nanos)
    {
        return nanos <= 0 ? 0 : bytes * 8.0 / nanos;
    }

    /**
     * @param bytes bytes moved.
     * @param nanos time taken.
     * @return e.g. {@code "1.23 GiB/s"} or {@code "512.0 MiB/s"}.
     */
    public static String bytesPerSecond(final long bytes, final long nanos)
    {
        final double perSecond = nanos <= 0 ? 0 : bytes * 1e9 / nanos;
        if (perSecond >= GIB)
        {
            return String.format(Locale.ROOT, "%.2f GiB/s", perSecond / GIB);
        }
        if (perSecond >= MIB)
        {
            return String.format(Locale.ROOT, "%.1f MiB/s", perSecond / MIB);
        }
        return String.format(Locale.ROOT, "%.1f KiB/s", perSecond / KIB);
    }

    /**
     * @param nanos a time in nanoseconds.
     * @return it in microseconds with two decimals, e.g. {@code "12.34"}.
     */
    public static String micros(final double nanos)
    {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e3);
    }

    /**
     * @param duration a duration.
     * @return e.g. {@code "250ms"} or {@code "1.5s"}.
     */
    public static String durationStr(final Duration duration)
    {
        final long ms = duration.toMillis();
        return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.1fs", ms / 1e3).replace(".0s", "s");
    }

    /**
     * A node GUID as {@code ibv_devices} prints it: 16 hex digits in groups of four.
     *
     * @param guid the GUID in host order.
     * @return e.g. {@code "0002:c903:0042:1a3b"}.
     */
    public static String guidStr(final long guid)
    {
        final String hex = String.format(Locale.ROOT, "%016x", guid);
        return hex.substring(0, 4) + ':' + hex.substring(4, 8) + ':' + hex.substring(8, 12) + ':' + hex.substring(12);
    }

    /**
     * @param ratio a ratio, e.g. provider / JDK.
     * @return e.g. {@code "0.87x"}, or {@code "-"} when it is not a number.
     */
    public static String ratioStr(final double ratio)
    {
        return Double.isFinite(ratio) ? String.format(Locale.ROOT, "%.2fx", ratio) : "-";
    }
}
