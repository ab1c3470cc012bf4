package io.rdmasockets.provider.ibverbs;

import io.rdmasockets.common.Errno;
import io.rdmasockets.provider.ibverbs.conformance.NativeProvider;
import io.rdmasockets.testsuite.AbstractVerbsTest;
import io.rdmasockets.testsuite.PairSpec;
import io.rdmasockets.testsuite.RcPair;
import io.rdmasockets.verbs.Access;
import io.rdmasockets.verbs.MemoryRegion;
import io.rdmasockets.verbs.SendFlags;
import io.rdmasockets.verbs.SendWorkRequest;
import io.rdmasockets.verbs.VerbsProvider;
import io.rdmasockets.verbs.WorkCompletions;
import io.rdmasockets.verbs.WrOpcode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Closing races the data path on real queues: threads post, poll and query while others close the id,
 * the queue pair and the completion queue at once. Every call after a close answers EBADF (or the last
 * known state), nothing is destroyed twice, and the JVM survives: freed native memory is never touched.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class NativeConcurrentCloseTest extends AbstractVerbsTest
{
    @Override
    protected VerbsProvider provider()
    {
        return NativeProvider.get();
    }

    @Test
    void shouldCloseOnceWhilePostsPollsAndQueriesRace() throws Exception
    {
        for (int round = 0; round < 5; round++)
        {
            try (RcPair pair = RcPair.connect(provider(), testAddress(), PairSpec.defaults().queueDepth(16, 16)))
            {
                final MemoryRegion src = pair.client.register(64, Access.LOCAL_WRITE);
                final AtomicReference<Throwable> failure = new AtomicReference<>();
                final AtomicInteger postsAfterClose = new AtomicInteger();
                final CountDownLatch running = new CountDownLatch(3);
                final List<Thread> users = new ArrayList<>();
                users.add(Thread.ofPlatform().start(() -> guarded(failure, () ->
                {
                    final SendWorkRequest wr = new SendWorkRequest(1);
                    running.countDown();
                    while (true)
                    {
                        wr.reset().wrId(1).opcode(WrOpcode.SEND).flags(SendFlags.SIGNALED).sgl().add(src, 0, 64);
                        final int rc = pair.client.qp.postSend(wr);
                        if (Errno.EBADF.code() == rc)
                        {
                            postsAfterClose.incrementAndGet();
                            return;
                        }
                        assertTrue(0 == rc || Errno.ENOMEM.code() == rc, "postSend: " + Errno.nameOf(rc));
                    }
                })));
                users.add(Thread.ofPlatform().start(() -> guarded(failure, () ->
                {
                    try (Arena arena = Arena.ofConfined())
                    {
                        final WorkCompletions wc = new WorkCompletions(16, arena);
                        running.countDown();
                        while (true)
                        {
                            final int n = pair.client.sendCq.poll(wc);
                            if (-Errno.EBADF.code() == n)
                            {
                                return;
                            }
                            assertTrue(n >= 0, "poll: " + n);
                        }
                    }
                })));
                users.add(Thread.ofPlatform().start(() -> guarded(failure, () ->
                {
                    running.countDown();
                    while (pair.client.qp.isOpen())
                    {
                        assertNotNull(pair.client.qp.state());
                    }
                    assertNotNull(pair.client.qp.state(), "the last known state after close");
                })));
                running.await();
                Thread.sleep(50L * round);
                final List<Thread> closers = new ArrayList<>();
                closers.add(Thread.ofPlatform().start(() -> guarded(failure, pair.client.id::close)));
                closers.add(Thread.ofPlatform().start(() -> guarded(failure, pair.client.qp::close)));
                closers.add(Thread.ofPlatform().start(() -> guarded(failure, pair.client.qp::close)));
                for (final Thread t : closers)
                {
                    t.join(30_000);
                    assertFalse(t.isAlive(), "a close hangs");
                }
                assertFalse(pair.client.qp.isOpen());
                assertFalse(pair.client.id.isOpen());
                // The queue pair is gone: the queue may close under the poller now.
                pair.client.sendCq.close();
                for (final Thread t : users)
                {
                    t.join(30_000);
                    assertFalse(t.isAlive(), "a data-path caller hangs after close");
                }
                assertNull(failure.get(), () -> "round: " + failure.get());
                assertEquals(1, postsAfterClose.get());
                assertEquals(Errno.EBADF.code(), pair.client.qp.postSend(new SendWorkRequest()));
                assertEquals(-Errno.EBADF.code(), pair.client.sendCq.poll(pair.client.wc));
            }
        }
    }

    private interface Body
    {
        void run() throws Exception;
    }

    private static void guarded(final AtomicReference<Throwable> failure, final Body body)
    {
        try
        {
            body.run();
        }
        catch (final Throwable t)
        {
            failure.compareAndSet(null, t);
        }
    }
}
