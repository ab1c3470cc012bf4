package io.rdmasockets.provider.tcp;

import io.rdmasockets.provider.tcp.internal.TcpConfiguration;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.verbs.DeviceAttributes;
import io.rdmasockets.verbs.PortAttributes;
import io.rdmasockets.verbs.TransportType;
import io.rdmasockets.verbs.Verbs;
import io.rdmasockets.verbs.VerbsContext;
import io.rdmasockets.verbs.VerbsDevice;
import io.rdmasockets.verbs.VerbsException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Provider discovery, the availability trio, the device's limits, and no threads left behind. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpVerbsProviderTest
{
    @Test
    void shouldBeFoundAsServiceNamedTcpWithPriority10()
    {
        final var provider = Verbs.provider("tcp").orElseThrow();
        assertEquals(TcpVerbsProvider.class, provider.getClass());
        assertEquals(10, provider.priority());
        assertTrue(provider.isAvailable());
        assertNull(provider.unavailabilityCause());
    }

    @Test
    void shouldBeUnavailableWhenDisabledAndSayHowToReEnable()
    {
        System.setProperty(TcpConfiguration.DISABLED_PROP_NAME, "true");
        try
        {
            final TcpVerbsProvider provider = new TcpVerbsProvider();
            assertTrue(!provider.isAvailable());
            final String message = provider.unavailabilityCause().getMessage();
            assertTrue(message.contains(TcpConfiguration.DISABLED_PROP_NAME) && message.contains("re-enable"), message);
            assertThrows(UnsupportedOperationException.class, provider::ensureAvailability);
            assertThrows(VerbsException.class, provider::devices);
        }
        finally
        {
            System.clearProperty(TcpConfiguration.DISABLED_PROP_NAME);
        }
    }

    @Test
    void shouldOfferOneSoftwareDeviceWithSensibleLimits() throws Exception
    {
        final TcpVerbsProvider provider = new TcpVerbsProvider();
        final VerbsDevice device = provider.devices().getFirst();
        assertEquals(1, provider.devices().size());
        assertEquals("tcp0", device.name());
        assertEquals(TransportType.SOFTWARE, device.transportType());
        assertEquals(device.guid(), new TcpVerbsProvider().devices().getFirst().guid(), "GUID stable per host");
        try (VerbsContext context = device.open())
        {
            final DeviceAttributes attributes = context.queryDevice();
            assertEquals(device.guid(), attributes.nodeGuid());
            assertTrue(attributes.maxQpWr() >= 16384);
            assertTrue(attributes.maxSge() >= 16);
            assertTrue(attributes.maxCqe() >= 65536);
            assertEquals(1, attributes.physPortCount());
            final PortAttributes port = context.queryPort(1);
            assertEquals(PortAttributes.PortState.ACTIVE, port.state());
            assertEquals(PortAttributes.LinkLayer.ETHERNET, port.linkLayer());
            assertEquals(4096, port.activeMtu());
            assertThrows(VerbsException.class, () -> context.queryPort(2));
        }
    }

    @Test
    void shouldStopItsThreadsWhenNothingIsOpen() throws Exception
    {
        try (RcPair pair = RcPair.connect(new TcpVerbsProvider(), InetAddress.getLoopbackAddress(), PairSpec.defaults()))
        {
            assertTrue(pair.client.qp.isOpen());
            assertTrue(providerThreads() > 0, "a reactor runs while connections are open");
        }
        final long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (providerThreads() > 0 && System.nanoTime() < deadlineNs)
        {
            Thread.sleep(20);
        }
        assertEquals(0, providerThreads(), "reactor threads after everything closed");
    }

    private static long providerThreads()
    {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith(TcpConfiguration.THREAD_NAME_PREFIX)).count();
    }
}
