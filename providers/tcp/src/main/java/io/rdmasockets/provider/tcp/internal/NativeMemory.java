package io.rdmasockets.provider.tcp.internal;

import java.lang.foreign.MemorySegment;

/** What the provider may know about registered memory without touching it. */
final class NativeMemory
{
    /** An unstarted thread: a segment it may access is not confined to some owner thread. */
    private static final Thread PROBE = Thread.ofPlatform().unstarted(() -> { });

    private NativeMemory()
    {
    }

    /**
     * The reactor reaches registered memory from its own thread, so confined segments cannot be
     * registered (see {@code ProtectionDomain.registerMemory}).
     *
     * @param segment memory to register.
     * @return true when only its owner thread may access it.
     */
    static boolean isConfined(final MemorySegment segment)
    {
        return !segment.isAccessibleBy(PROBE);
    }
}
