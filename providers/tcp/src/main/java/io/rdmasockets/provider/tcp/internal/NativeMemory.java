package io.rdmasockets.provider.tcp.internal;

import java.lang.foreign.MemorySegment;

/**
 * Raw views of native memory, for what an HCA does without asking the owning thread: reading inline
 * payloads from any address, and accessing regions of confined arenas from the reactor thread.
 * These are restricted methods: on the module path run with
 * {@code --enable-native-access=io.rdmasockets.provider.tcp} to silence the JDK's warning.
 */
final class NativeMemory
{
    /** An unstarted thread: a segment it may access is not confined to some owner thread. */
    private static final Thread PROBE = Thread.ofPlatform().unstarted(() -> { });

    private NativeMemory()
    {
    }

    /** @param segment registered memory. @return true when only its owner thread may access it. */
    static boolean isConfined(final MemorySegment segment)
    {
        return !segment.isAccessibleBy(PROBE);
    }

    /**
     * @param address first byte.
     * @param length  bytes.
     * @return a segment over that memory in the global scope (no liveness or thread checks).
     */
    @SuppressWarnings("restricted")
    static MemorySegment view(final long address, final long length)
    {
        return MemorySegment.ofAddress(address).reinterpret(length);
    }
}
