package io.rdmasockets.testsuite.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalBlockingModeException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Registration, cancellation and closing (modelled on the JDK's jtreg tests RegAfterPreClose,
 * CloseThenRegister, ChangingInterests, CloseWhenKeyIdle and the cancel/register-during-select cases).
 *
 * <p>Rules checked, from the {@link Selector}, {@link SelectionKey} and
 * {@link java.nio.channels.SelectableChannel} Javadoc (JDK 11 and later):
 * <ul>
 *   <li>a cancelled key is invalid at once but stays in the key set, and its channel stays registered,
 *       until the next selection operation (or the end of the one in progress) deregisters it; registering
 *       the channel again with that selector before then throws {@link CancelledKeyException}, and
 *       {@code keyFor} still returns the cancelled (invalid) key, as its Javadoc says ("null if this channel
 *       is not currently registered"), which surprises code that expects null after {@code cancel()};</li>
 *   <li>{@code register} and {@code interestOps} never block on a selection operation in progress and have
 *       no effect on it: the change is seen by the next one;</li>
 *   <li>closing a registered channel cancels its keys; the close of the underlying socket is deferred
 *       until the channel is deregistered, and then the peer sees end-of-stream;</li>
 *   <li>a channel must be non-blocking to register, and cannot be made blocking while it has a valid key.
 *       Surprise of the JDK: only <em>valid</em> keys count, so {@code configureBlocking(true)} succeeds
 *       right after {@code cancel()} even though {@code isRegistered()} is still true.</li>
 * </ul>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class SelectorRegistrationConformance extends AbstractSelectorTest
{
    @Test
    public void shouldDeregisterACancelledKeyOnTheNextSelection() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        final SelectionKey key = register(pipe.sink(), selector, SelectionKey.OP_WRITE);
        assertSame(key, pipe.sink().keyFor(selector));
        key.cancel();
        assertFalse(key.isValid());
        assertTrue(pipe.sink().isRegistered(), "registered until the next selection operation");
        assertTrue(selector.keys().contains(key));
        assertSame(key, pipe.sink().keyFor(selector), "keyFor returns the cancelled key while registered");
        assertThrows(CancelledKeyException.class, () -> pipe.sink().register(selector, SelectionKey.OP_WRITE));
        assertThrows(CancelledKeyException.class, key::interestOps);
        assertThrows(CancelledKeyException.class, () -> key.interestOps(0));
        assertThrows(CancelledKeyException.class, key::readyOps);
        key.cancel(); // idempotent

        assertEquals(0, selector.selectNow(), "a cancelled key is never selected");
        assertFalse(pipe.sink().isRegistered());
        assertFalse(selector.keys().contains(key));
        assertNull(pipe.sink().keyFor(selector));
        final SelectionKey again = pipe.sink().register(selector, SelectionKey.OP_WRITE);
        assertNotSame(key, again);
        assertEquals(1, selector.selectNow());
        assertTrue(selector.selectedKeys().contains(again));
    }

    @Test
    public void shouldDeregisterAKeyCancelledDuringSelect() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        final SelectionKey key = register(pipe.source(), selector, SelectionKey.OP_READ);
        final Future<Integer> select = async(selector::select);
        assertBlocked(select);
        key.cancel();
        assertFalse(key.isValid());
        selector.wakeup();
        assertEquals(0, promptly(select));
        assertFalse(pipe.source().isRegistered(), "deregistered by the select that was in progress");
        assertFalse(selector.keys().contains(key));
    }

    @Test
    public void shouldRegisterWithoutBlockingWhileAnotherThreadSelects() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe idle = openPipe();
        register(idle.source(), selector, SelectionKey.OP_READ);
        final Pipe ready = openPipe();
        ready.sink().configureBlocking(false);
        final Future<Integer> select = async(selector::select);
        assertBlocked(select);

        final SelectionKey key = promptly(async(() -> ready.sink().register(selector, SelectionKey.OP_WRITE)));
        assertTrue(key.isValid());
        assertTrue(selector.keys().contains(key));
        // No effect on the operation in progress: it does not return although the sink is writable.
        assertBlocked(select);
        selector.wakeup();
        assertEquals(0, promptly(select));
        assertEquals(1, selector.selectNow(), "the next selection sees the new key");
        assertTrue(selector.selectedKeys().contains(key));
        assertTrue(key.isWritable());
    }

    @Test
    public void shouldSeeInterestChangesFromAnotherThreadOnTheNextSelection() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        final SelectionKey key = register(pipe.sink(), selector, 0);
        final Future<Integer> select = async(selector::select);
        assertBlocked(select);
        promptly(async(() -> key.interestOps(SelectionKey.OP_WRITE)));
        assertEquals(SelectionKey.OP_WRITE, key.interestOps());
        assertBlocked(select);
        selector.wakeup();
        assertEquals(0, promptly(select));
        assertEquals(1, selector.select(), "the next selection uses the new interest set");
        assertTrue(key.isWritable());
    }

    @Test
    public void shouldApplyConcurrentInterestOpsOrAndAndAtomically() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey key = pair.client().register(selector, 0);
        final int rounds = 20_000;
        final CountDownLatch start = new CountDownLatch(1);
        final Future<?> reads = async(() ->
        {
            start.await();
            for (int i = 0; i < rounds; i++)
            {
                key.interestOpsOr(SelectionKey.OP_READ);
                key.interestOpsAnd(~SelectionKey.OP_READ);
            }
            return key.interestOpsOr(SelectionKey.OP_READ);
        });
        final Future<?> writes = async(() ->
        {
            start.await();
            for (int i = 0; i < rounds; i++)
            {
                key.interestOpsOr(SelectionKey.OP_WRITE);
                key.interestOpsAnd(~SelectionKey.OP_WRITE);
            }
            return key.interestOpsOr(SelectionKey.OP_WRITE);
        });
        start.countDown();
        promptly(reads);
        promptly(writes);
        assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.interestOps(), "no update was lost");
    }

    @Test
    public void shouldReportExactlyTheInterestingReadyOpsForEveryInterestSet() throws Exception
    {
        // ChangingInterests: a channel ready for both read and write, every interest set in turn.
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        pair.server().write(bytes("x"));
        final SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ);
        awaitReady(selector, key, SelectionKey.OP_READ);
        final int[] interests = {0, SelectionKey.OP_READ, SelectionKey.OP_WRITE,
            SelectionKey.OP_READ | SelectionKey.OP_WRITE, SelectionKey.OP_WRITE, 0, SelectionKey.OP_READ};
        for (final int interest : interests)
        {
            selector.selectedKeys().clear();
            key.interestOps(interest);
            assertEquals(0 == interest ? 0 : 1, selector.selectNow(), "interest " + interest);
            if (0 != interest)
            {
                assertReadyOps(interest, key);
            }
            else
            {
                assertTrue(selector.selectedKeys().isEmpty());
            }
        }
    }

    @Test
    public void shouldRefuseRegistrationOfClosedChannelsAndWithClosedSelectors() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        pipe.source().configureBlocking(false);
        pipe.source().close();
        assertThrows(ClosedChannelException.class, () -> pipe.source().register(selector, SelectionKey.OP_READ));

        pipe.sink().configureBlocking(false);
        selector.close();
        assertThrows(ClosedSelectorException.class, () -> pipe.sink().register(selector, SelectionKey.OP_WRITE));
        assertFalse(pipe.sink().isRegistered());
    }

    @Test
    public void shouldEnforceTheBlockingModeRules() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        pair.client().configureBlocking(true);
        assertThrows(IllegalBlockingModeException.class, () -> pair.client().register(selector, SelectionKey.OP_READ));
        assertFalse(pair.client().isRegistered());

        final SelectionKey key = register(pair.client(), selector, SelectionKey.OP_READ);
        assertThrows(IllegalBlockingModeException.class, () -> pair.client().configureBlocking(true));
        assertFalse(pair.client().isBlocking());
        pair.client().configureBlocking(false); // no change: allowed

        key.cancel();
        assertTrue(pair.client().isRegistered());
        pair.client().configureBlocking(true); // only valid keys count
        assertTrue(pair.client().isBlocking());
        selector.selectNow();
        assertFalse(pair.client().isRegistered());
        // Blocking I/O works again after deregistration.
        pair.server().write(bytes("b"));
        assertEquals(1, pair.client().read(ByteBuffer.allocate(4)));
    }

    @Test
    public void shouldRefuseOperationsOutsideValidOpsAndKeepAttachments() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        assertEquals(SelectionKey.OP_CONNECT | SelectionKey.OP_READ | SelectionKey.OP_WRITE, pair.client().validOps());
        assertThrows(IllegalArgumentException.class, () -> pair.client().register(selector, SelectionKey.OP_ACCEPT));
        final Object first = new Object();
        final SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ, first);
        assertSame(first, key.attachment());
        assertThrows(IllegalArgumentException.class, () -> key.interestOps(SelectionKey.OP_ACCEPT));
        assertEquals(SelectionKey.OP_READ, key.interestOps());

        final Object second = new Object();
        assertSame(key, pair.client().register(selector, SelectionKey.OP_WRITE, second), "one key per selector");
        assertEquals(SelectionKey.OP_WRITE, key.interestOps());
        assertSame(second, key.attachment());
        assertSame(second, key.attach(null));
        assertNull(key.attachment());
        assertSame(selector, key.selector());
        assertSame(pair.client(), key.channel());

        final Selector other = openSelector();
        final SelectionKey otherKey = pair.client().register(other, SelectionKey.OP_READ);
        assertNotSame(key, otherKey);
        assertSame(otherKey, pair.client().keyFor(other));
    }

    @Test
    public void shouldDeferTheCloseOfARegisteredChannelUntilDeregistration() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ);
        pair.client().close();
        assertFalse(pair.client().isOpen());
        assertFalse(key.isValid(), "closing a channel cancels its keys");
        assertTrue(selector.keys().contains(key));
        assertThrows(ClosedChannelException.class, () -> pair.client().write(bytes("late")));
        selector.selectNow();
        assertFalse(pair.client().isRegistered());
        assertFalse(selector.keys().contains(key));

        // The peer sees end-of-stream (CloseWhenKeyIdle) once the socket is really closed.
        final Selector peerSelector = openSelector();
        final SelectionKey peerKey = pair.server().register(peerSelector, SelectionKey.OP_READ);
        awaitReady(peerSelector, peerKey, SelectionKey.OP_READ);
        assertEquals(-1, pair.server().read(ByteBuffer.allocate(8)));
    }

    @Test
    public void shouldCloseAChannelRegisteredWithASelectorThatIsSelecting() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey key = pair.client().register(selector, SelectionKey.OP_READ);
        final Future<Integer> select = async(selector::select);
        assertBlocked(select);
        promptly(async(() ->
        {
            pair.client().close();
            return null;
        }));
        assertFalse(key.isValid());
        selector.wakeup();
        promptly(select);
        assertFalse(pair.client().isRegistered());
        final Selector peerSelector = openSelector();
        final SelectionKey peerKey = pair.server().register(peerSelector, SelectionKey.OP_READ);
        awaitReady(peerSelector, peerKey, SelectionKey.OP_READ);
        assertEquals(-1, pair.server().read(ByteBuffer.allocate(8)));
    }
}
