package io.rdmasockets.provider.ibverbs.internal.abi;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.ValueLayout;

/** The C types of the rdma-core headers on LP64 Linux, and offset lookup by C member path. */
final class Abi
{
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT;
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final AddressLayout POINTER = ValueLayout.ADDRESS;
    /** Prefix of a member name that C leaves anonymous (an unnamed union): left out of C member paths. */
    static final String ANONYMOUS = "$";
    /** {@code pthread_mutex_t} on x86-64/aarch64 glibc: opaque to us. */
    static final long PTHREAD_MUTEX_SIZE = 40;
    /** {@code pthread_cond_t}: opaque to us. */
    static final long PTHREAD_COND_SIZE = 48;

    private Abi()
    {
    }

    /** @return an opaque member of {@code size} bytes (arrays, structs we never look inside). */
    static MemoryLayout opaque(final String name, final long size)
    {
        return MemoryLayout.sequenceLayout(size, ValueLayout.JAVA_BYTE).withName(name);
    }

    /** @return the offset of a member given by its C path, e.g. {@code offset(l, "wr", "rdma", "rkey")}. */
    static long offset(final MemoryLayout layout, final String... path)
    {
        final PathElement[] elements = new PathElement[path.length];
        for (int i = 0; i < path.length; i++)
        {
            elements[i] = PathElement.groupElement(path[i]);
        }
        return layout.byteOffset(elements);
    }
}
