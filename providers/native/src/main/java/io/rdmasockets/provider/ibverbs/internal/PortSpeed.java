package io.rdmasockets.provider.ibverbs.internal;

import java.util.Locale;

/** {@code ibv_port_attr.active_width} and {@code active_speed} as a rate, the way {@code ibv_devinfo} reads them. */
final class PortSpeed
{
    private PortSpeed()
    {
    }

    /**
     * @param width an {@code IB_WIDTH_*} code (1: 1x, 2: 4x, 4: 8x, 8: 12x, 16: 2x).
     * @param speed an {@code IB_SPEED_*} code (1: SDR .. 128: NDR).
     * @return e.g. {@code "100.0 Gb/sec"}, or {@code "unknown"}.
     */
    static String describe(final int width, final int speed)
    {
        final int lanes = switch (width)
        {
            case 1 -> 1;
            case 2 -> 4;
            case 4 -> 8;
            case 8 -> 12;
            case 16 -> 2;
            default -> 0;
        };
        final double laneGbps = switch (speed)
        {
            case 1 -> 2.5;
            case 2 -> 5.0;
            case 4, 8 -> 10.0;
            case 16 -> 14.0;
            case 32 -> 25.0;
            case 64 -> 50.0;
            case 128 -> 100.0;
            default -> 0;
        };
        return 0 == lanes || 0 == laneGbps ? "unknown" : String.format(Locale.ROOT, "%.1f Gb/sec", lanes * laneGbps);
    }
}
