package io.rdmasockets.provider.ibverbs.internal;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.VerbsException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few FFM pieces every binding uses: the linker, downcall creation (with errno capture where the C
 * function reports failure through {@code errno}), and {@link Call}, the scratch memory of one
 * control-path call.
 */
final class Ffm
{
    static final Linker LINKER = Linker.nativeLinker();
    /** Where {@link Linker.Option#captureCallState} leaves {@code errno}; it comes first in the arguments. */
    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Ffm()
    {
    }

    /** @return a downcall to a named symbol. */
    static MethodHandle call(final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor,
        final Linker.Option... options)
    {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor, options);
    }

    /** @return a downcall to a named symbol whose first argument is the call-state segment receiving errno. */
    static MethodHandle errnoCall(final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        return LINKER.downcallHandle(lookup.findOrThrow(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** @return the errno a call left in {@code callState}. */
    static int errno(final MemorySegment callState)
    {
        return (int)ERRNO.get(callState, 0L);
    }

    /** @return a zero-length segment at a native address, for passing pointers to downcalls. */
    static MemorySegment pointer(final long address)
    {
        return MemorySegment.ofAddress(address);
    }

    /**
     * Rethrows what a downcall threw: downcalls declare {@link Throwable} but throw nothing checked.
     *
     * @param t what was thrown.
     * @return never returns normally; typed so callers can write {@code throw Ffm.rethrow(t)}.
     */
    static RuntimeException rethrow(final Throwable t)
    {
        if (t instanceof RuntimeException r)
        {
            throw r;
        }
        if (t instanceof Error e)
        {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    /**
     * Scratch memory for one control-path call: a confined arena and the errno capture segment.
     * Control-path calls may allocate; the data path never uses this.
     */
    static final class Call implements AutoCloseable
    {
        final Arena arena = Arena.ofConfined();
        final MemorySegment state = arena.allocate(CALL_STATE);

        /** @return the errno the last errno-capturing call left. */
        int errno()
        {
            return Ffm.errno(state);
        }

        /**
         * @param function the C function that failed, with its arguments.
         * @return the failure with the captured errno.
         */
        VerbsException failure(final String function)
        {
            return Ffm.failure(function, errno());
        }

        @Override
        public void close()
        {
            arena.close();
        }
    }

    /**
     * @param function what failed.
     * @param errno    the positive errno it reported (0 is reported as EIO: the library gave no reason).
     * @return the exception for the control path.
     */
    static VerbsException failure(final String function, final int errno)
    {
        final int e = 0 == errno ? Errno.EIO.code() : Math.abs(errno);
        return new VerbsException(e, function);
    }
}
