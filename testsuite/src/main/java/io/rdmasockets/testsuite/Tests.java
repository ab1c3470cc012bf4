package io.rdmasockets.testsuite;

import io.rdmasockets.common.Errno;
import io.rdmasockets.verbs.CompletionQueue;
import io.rdmasockets.verbs.VerbsException;
import io.rdmasockets.verbs.WorkCompletions;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Static helpers of the suites: deadlines, completion polling, byte patterns and errno assertions.
 * Every wait has a deadline and notices interruption (JUnit's {@code @Timeout} interrupts).
 */
public final class Tests
{
    /** The default deadline for something that should happen promptly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private Tests()
    {
    }

    /**
     * Waits until the condition holds.
     *
     * @param condition what to wait for.
     * @param timeout   the deadline.
     * @param message   what failed, for the assertion message.
     */
    public static void await(final BooleanSupplier condition, final Duration timeout, final Supplier<String> message)
    {
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadlineNs > 0)
            {
                fail("timed out after " + timeout + ": " + message.get());
            }
            idle();
        }
    }

    /**
     * Waits until the condition holds, with {@link #DEFAULT_TIMEOUT}.
     *
     * @param condition what to wait for.
     * @param message   what failed.
     */
    public static void await(final BooleanSupplier condition, final String message)
    {
        await(condition, DEFAULT_TIMEOUT, () -> message);
    }

    /** Backs off briefly in a polling loop and turns an interrupt into a failure. */
    public static void idle()
    {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        if (Thread.currentThread().isInterrupted())
        {
            fail("interrupted (test deadline?)");
        }
    }

    /**
     * Polls until {@code count} completions arrived or the deadline passed; takes no more than {@code count}.
     *
     * @param cq      the queue.
     * @param wc      the array to poll into.
     * @param count   how many to take at most.
     * @param timeout the deadline.
     * @return what arrived, oldest first; fewer than {@code count} after the deadline.
     */
    public static List<Wc> pollUpTo(
        final CompletionQueue cq, final WorkCompletions wc, final int count, final Duration timeout)
    {
        final List<Wc> out = new ArrayList<>(Math.min(count, 4096));
        final long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (out.size() < count)
        {
            final int n = cq.poll(wc, Math.min(wc.capacity(), count - out.size()));
            if (n < 0)
            {
                fail("poll failed: " + Errno.nameOf(-n));
            }
            for (int i = 0; i < n; i++)
            {
                out.add(Wc.of(wc, i));
            }
            if (0 == n)
            {
                if (System.nanoTime() - deadlineNs > 0)
                {
                    break;
                }
                idle();
            }
        }
        return out;
    }

    /**
     * Polls until exactly {@code count} completions arrived; fails at the deadline.
     *
     * @param cq      the queue.
     * @param wc      the array to poll into.
     * @param count   how many.
     * @param timeout the deadline.
     * @param what    names the queue in the failure message.
     * @return the completions, oldest first.
     */
    public static List<Wc> pollExactly(
        final CompletionQueue cq, final WorkCompletions wc, final int count, final Duration timeout, final String what)
    {
        final List<Wc> out = pollUpTo(cq, wc, count, timeout);
        if (out.size() != count)
        {
            fail("expected " + count + " completions on " + what + " within " + timeout + ", got " + out.size() +
                (out.isEmpty() ? "" : ": last " + out.getLast()));
        }
        return out;
    }

    /**
     * Asserts that a verb returned an errno.
     *
     * @param expected the errno.
     * @param actual   the verb's return value.
     * @param what     the call.
     */
    public static void assertErrno(final Errno expected, final int actual, final String what)
    {
        assertEquals(expected.code(), actual,
            () -> what + ": expected " + expected + " but was " + (0 == actual ? "0 (success)" : Errno.nameOf(actual)));
    }

    /**
     * Asserts that a control-path call throws a {@link VerbsException} with an errno.
     *
     * @param expected the errno.
     * @param call     the call.
     * @param what     the call, for the message.
     * @return the exception.
     */
    public static VerbsException assertThrowsErrno(final Errno expected, final ThrowingCall call, final String what)
    {
        final VerbsException e = assertThrows(VerbsException.class, call::run, what + " should fail with " + expected);
        assertEquals(expected.code(), e.errno(),
            () -> what + ": expected " + expected + " but was " + Errno.nameOf(e.errno()) + " (" + e.getMessage() +
                ")");
        return e;
    }

    /** A call that may throw. */
    @FunctionalInterface
    public interface ThrowingCall
    {
        /**
         * Runs it.
         *
         * @throws Exception whatever it throws.
         */
        void run() throws Exception;
    }

    /**
     * @param seed  distinguishes patterns.
     * @param index byte index.
     * @return the byte at {@code index} of pattern {@code seed}: not periodic in any small power of two.
     */
    public static byte patternByte(final int seed, final long index)
    {
        final long x = (index + 1) * 0x9E3779B97F4A7C15L + seed * 0xBF58476D1CE4E5B9L;
        return (byte)(x ^ (x >>> 29) ^ (x >>> 47));
    }

    /**
     * Fills a segment with pattern {@code seed}.
     *
     * @param segment the memory.
     * @param seed    the pattern.
     */
    public static void fill(final MemorySegment segment, final int seed)
    {
        for (long i = 0; i < segment.byteSize(); i++)
        {
            segment.set(ValueLayout.JAVA_BYTE, i, patternByte(seed, i));
        }
    }

    /**
     * Asserts that a segment holds pattern {@code seed}, starting at pattern index {@code patternOffset}.
     *
     * @param segment       the memory.
     * @param seed          the pattern.
     * @param patternOffset pattern index of the segment's first byte.
     * @param what          names the memory in the message.
     */
    public static void assertPattern(
        final MemorySegment segment, final int seed, final long patternOffset, final String what)
    {
        for (long i = 0; i < segment.byteSize(); i++)
        {
            final byte expected = patternByte(seed, patternOffset + i);
            final byte actual = segment.get(ValueLayout.JAVA_BYTE, i);
            if (expected != actual)
            {
                fail(what + ": byte " + i + " of " + segment.byteSize() + " is " + actual + ", expected " + expected);
            }
        }
    }

    /**
     * Asserts that a segment holds pattern {@code seed} from its start.
     *
     * @param segment the memory.
     * @param seed    the pattern.
     * @param what    names the memory.
     */
    public static void assertPattern(final MemorySegment segment, final int seed, final String what)
    {
        assertPattern(segment, seed, 0, what);
    }

    /**
     * Asserts that every byte of a segment is {@code value}.
     *
     * @param segment the memory.
     * @param value   the byte.
     * @param what    names the memory.
     */
    public static void assertAllBytes(final MemorySegment segment, final byte value, final String what)
    {
        final long mismatch = segment.asSlice(0).elements(ValueLayout.JAVA_BYTE)
            .filter(s -> s.get(ValueLayout.JAVA_BYTE, 0) != value).findFirst().map(s -> s.address() - segment.address())
            .orElse(-1L);
        if (mismatch >= 0)
        {
            fail(what + ": byte " + mismatch + " is " + segment.get(ValueLayout.JAVA_BYTE, mismatch) +
                ", expected " + value);
        }
    }
}
