package io.rdmasockets.provider.ibverbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.internal.NativeStack;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.VerbsProvider;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The provider as applications find it, on whatever machine runs the tests: without RDMA (these build
 * machines) it is listed but unavailable with the cause that names the fix, and never chosen by default;
 * with a device (the Soft-RoCE guest) it lists exactly the kernel's devices and wins over software providers.
 */
class NativeVerbsProviderTest
{
    private static VerbsProvider provider()
    {
        return Verbs.provider(NativeVerbsProvider.NAME).orElseThrow(() -> new AssertionError(
            "the native provider is not registered as a service: " + Verbs.providers()));
    }

    @Test
    void shouldBeFoundAsAServiceWithItsNameAndPriority()
    {
        final VerbsProvider p = provider();
        assertInstanceOf(NativeVerbsProvider.class, p);
        assertEquals(100, p.priority());
    }

    @Test
    void shouldBeUnavailableWithTheStacksCauseWhereThereIsNoRdma() throws Exception
    {
        final Throwable cause = NativeStack.unavailabilityCause();
        final VerbsProvider p = provider();
        if (null == cause)
        {
            assertTrue(p.isAvailable());
            assertNull(p.unavailabilityCause());
            p.ensureAvailability();
            return;
        }
        assertFalse(p.isAvailable());
        assertEquals(cause.getMessage(), p.unavailabilityCause().getMessage());
        final UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, p::ensureAvailability);
        assertTrue(e.getMessage().contains("'native' is unavailable: " + cause.getMessage()), e.getMessage());
        final VerbsException devices = assertThrows(VerbsException.class, p::devices);
        assertEquals(Errno.ENODEV.code(), devices.errno());
        assertEquals(Errno.ENODEV.code(), assertThrows(VerbsException.class, p::connectionManager).errno());
        if (null == System.getProperty(Verbs.PROVIDER_PROP_NAME) && null == System.getenv(Verbs.PROVIDER_ENV_NAME))
        {
            try
            {
                assertNotSame(p, Verbs.defaultProvider(), "an unavailable provider is never the default");
            }
            catch (final IllegalStateException none)
            {
                // Nothing else on this class path: the message says why native is not usable.
                assertTrue(none.getMessage().contains("native: " + cause.getMessage()), none.getMessage());
            }
        }
    }

    @Test
    void shouldListTheKernelsDevicesAndBeTheDefaultWhereThereIsRdma() throws Exception
    {
        final VerbsProvider p = provider();
        if (!p.isAvailable())
        {
            return;
        }
        final List<VerbsDevice> devices = p.devices();
        assertEquals(NativeStack.deviceNames(), devices.stream().map(VerbsDevice::name).toList());
        for (final VerbsDevice d : devices)
        {
            assertSame(p, d.provider());
        }
        assertSame(devices.getFirst(), p.devices().getFirst(), "one object per device");
        if (null == System.getProperty(Verbs.PROVIDER_PROP_NAME) && null == System.getenv(Verbs.PROVIDER_ENV_NAME))
        {
            assertSame(p, Verbs.defaultProvider(), "hardware ranks above every software provider");
        }
    }
}
