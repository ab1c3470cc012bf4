package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.provider.ibverbs.internal.abi.LibcDescriptors;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.*;

/** Socket addresses in the C layout: family in host order, port and address in network order. */
class SockAddrTest
{
    @Test
    void shouldWriteIpv4InNetworkOrderAndReadItBack() throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("10.0.2.15"), 7471);
            final MemorySegment sa = SockAddr.of(address, arena);
            assertEquals(16, sa.byteSize());
            assertEquals(LibcDescriptors.AF_INET, sa.get(ValueLayout.JAVA_SHORT, 0));
            assertArrayEquals(new byte[] {0x1d, 0x2f, 10, 0, 2, 15}, sa.asSlice(2, 6).toArray(ValueLayout.JAVA_BYTE),
                "port 7471 = 0x1d2f, then the address, both big-endian");
            assertEquals(address, SockAddr.read(storage(arena, sa)));
        }
    }

    @Test
    void shouldWriteIpv6AndReadItBack() throws Exception
    {
        try (Arena arena = Arena.ofConfined())
        {
            final InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("fd00::1:2"), 65535);
            final MemorySegment sa = SockAddr.of(address, arena);
            assertEquals(28, sa.byteSize());
            assertEquals(LibcDescriptors.AF_INET6, sa.get(ValueLayout.JAVA_SHORT, 0));
            assertEquals((byte)0xff, sa.get(ValueLayout.JAVA_BYTE, 2));
            assertEquals(address, SockAddr.read(storage(arena, sa)));
        }
    }

    @Test
    void shouldReadAnUnsetAddressAsNull()
    {
        try (Arena arena = Arena.ofConfined())
        {
            assertNull(SockAddr.read(arena.allocate(128)), "family 0: not bound yet");
        }
    }

    private static MemorySegment storage(final Arena arena, final MemorySegment sa)
    {
        final MemorySegment storage = arena.allocate(128);
        storage.copyFrom(sa);
        return storage;
    }
}
