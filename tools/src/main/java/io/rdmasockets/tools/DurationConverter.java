package io.rdmasockets.tools;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** Converts {@code 500ms}, {@code 2s}, {@code 1.5s} (see {@link Units#parseDuration}) for picocli options. */
public final class DurationConverter implements ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        try
        {
            return Units.parseDuration(value);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new TypeConversionException(ex.getMessage());
        }
    }
}
