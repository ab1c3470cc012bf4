package io.rdmasockets.provider.ibverbs.internal;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Availability on whatever machine runs the tests, checked against the machine itself: the device names
 * must be exactly /sys/class/infiniband's entries, and without kernel RDMA support the cause must say
 * so and name the fix. Inside the Soft-RoCE guest the same test sees rxe0.
 */
class NativeStackTest
{
    private static final Path SYSFS = Path.of("/sys/class/infiniband");

    @Test
    void shouldLoadTheInstalledLibrariesOrSayWhichPackagesAreMissing()
    {
        final boolean installed = Stream.of("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib")
            .anyMatch(d -> Files.exists(Path.of(d, NativeLibraries.IBVERBS)) && Files.exists(Path.of(d, NativeLibraries.RDMACM)));
        if (installed)
        {
            assertTrue(NativeLibraries.isAvailable(), () -> "libraries installed but: " + NativeLibraries.unavailabilityCause());
            assertNull(NativeLibraries.unavailabilityCause());
        }
        else
        {
            final String cause = NativeLibraries.unavailabilityCause().getMessage();
            assertTrue(cause.contains("apt-get install libibverbs1 librdmacm1"), cause);
            assertThrows(UnsupportedOperationException.class, NativeLibraries::ensureAvailability);
        }
    }

    @Test
    void shouldListExactlyTheKernelsDevicesOrExplainWhyNone() throws IOException
    {
        if (!NativeLibraries.isAvailable())
        {
            assertSame(NativeLibraries.unavailabilityCause(), NativeStack.unavailabilityCause());
            return;
        }
        if (Files.isDirectory(SYSFS))
        {
            final Set<String> kernel;
            try (Stream<Path> s = Files.list(SYSFS))
            {
                kernel = s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
            }
            assertEquals(kernel, Set.copyOf(NativeStack.deviceNames()));
            if (!kernel.isEmpty())
            {
                assertNull(NativeStack.unavailabilityCause());
            }
        }
        else
        {
            final String cause = NativeStack.unavailabilityCause().getMessage();
            assertTrue(cause.contains("ENOSYS") && cause.contains("rdma link") && cause.contains("ibv_devices"), cause);
            final IllegalStateException e = assertThrows(IllegalStateException.class, NativeStack::deviceNames);
            assertEquals(cause, e.getMessage());
        }
    }

    @Test
    void shouldTellTheExactFlagWhenNativeAccessIsNotEnabled() throws Exception
    {
        final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The class path of exactly what the probe needs, wherever the tests run from (Maven, a console launcher).
        final String classPath = Stream.of(NativeAccessProbe.class, NativeStack.class, io.rdmasockets.common.Errno.class)
            .map(c -> codeSource(c)).distinct().collect(Collectors.joining(File.pathSeparator));
        final Process p = new ProcessBuilder(List.of(java, "-cp", classPath, NativeAccessProbe.class.getName()))
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("CAUSE native access is not enabled for the class path: run java with " +
            "--enable-native-access=ALL-UNNAMED"), out);
        assertFalse(out.contains("WARNING: A restricted method"), "nothing restricted was called: " + out);
    }

    private static String codeSource(final Class<?> c)
    {
        try
        {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        }
        catch (final URISyntaxException e)
        {
            throw new IllegalStateException(e);
        }
    }
}
