package io.rdmasockets.testsuite.nio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Ready sets, the selected-key set and the return value of selection operations (modelled on the JDK's
 * jtreg tests UpdateReadyOps, KeysReady and SelectWithConsumer).
 *
 * <p>Rules checked, from the {@link Selector} Javadoc: a key not in the selected-key set gets its ready set
 * <em>replaced</em> and is added; a key already in it gets new operations <em>added</em> to its ready set
 * (readiness accumulates until the application removes the key); {@code select} returns the number of
 * keys whose ready sets were updated, so it returns 0 when nothing new is ready even though keys are
 * selected. {@code select(Consumer)} never touches the selected-key set, replaces each ready set, calls
 * the action once per ready key (holding the selector and selected-key set locks; a nested selection
 * operation throws {@link IllegalStateException}) and lets an exception of the action propagate.
 *
 * <p>Note: the {@code Selector} Javadoc lets an implementation call the action more than once for one key
 * in one operation, each time with the newly ready operations only (the JDK's kqueue selector does, as
 * read and write are separate filters there; its jtreg SelectWithConsumer accepts it). The JDK's Linux
 * (epoll) selector calls it once per key, and this suite demands that, as the providers it checks run on
 * Linux.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
public abstract class SelectorReadinessConformance extends AbstractSelectorTest
{
    private static final int R = SelectionKey.OP_READ;
    private static final int W = SelectionKey.OP_WRITE;

    @Test
    public void shouldAccumulateReadyOpsWhileTheKeyStaysSelected() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey key = pair.client().register(selector, W);
        assertEquals(1, selector.selectNow());
        assertReadyOps(W, key);
        assertEquals(0, selector.selectNow(), "still selected, nothing new");

        key.interestOps(R | W);
        pair.server().write(bytes("ping"));
        awaitReady(selector, key, R);
        assertReadyOps(R | W, key);
        assertEquals(0, selector.selectNow(), "no new operation: not counted");

        key.interestOps(R);
        assertEquals(0, selector.selectNow());
        assertReadyOps(R | W, key); // previously recorded readiness is kept while selected

        selector.selectedKeys().remove(key);
        assertEquals(1, selector.selectNow(), "removed key: ready set replaced, key counted");
        assertReadyOps(R, key);

        assertEquals(4, pair.client().read(ByteBuffer.allocate(16)));
        selector.selectedKeys().clear();
        assertEquals(0, selector.selectNow(), "drained: nothing ready for the interest set");
        assertTrue(selector.selectedKeys().isEmpty());
    }

    @Test
    public void shouldCountEveryReadyKey() throws Exception
    {
        final Selector selector = openSelector();
        final int n = 8;
        final List<SelectionKey> keys = new ArrayList<>();
        for (int i = 0; i < n; i++)
        {
            final Pipe pipe = openPipe();
            keys.add(register(pipe.sink(), selector, W));
            register(pipe.source(), selector, R); // never written: never ready
        }
        assertEquals(n, selector.select());
        assertEquals(Set.copyOf(keys), selector.selectedKeys());
        assertEquals(2 * n, selector.keys().size());
        assertThrows(UnsupportedOperationException.class, () -> selector.keys().clear(), "key set is read-only");
        assertThrows(UnsupportedOperationException.class, () -> selector.selectedKeys().add(keys.get(0)));
        selector.selectedKeys().remove(keys.get(0));
        assertEquals(1, selector.selectNow());
        assertEquals(n, selector.selectedKeys().size());
    }

    @Test
    public void shouldConsumeReadyKeysWithoutTouchingTheSelectedKeySet() throws Exception
    {
        final Selector selector = openSelector();
        final Pair pair = connectedPair();
        final SelectionKey client = pair.client().register(selector, R | W);
        final SelectionKey server = pair.server().register(selector, W);
        pair.server().write(bytes("x"));
        awaitReady(selector, client, R | W);
        selector.selectedKeys().remove(server);
        final Set<SelectionKey> before = Set.copyOf(selector.selectedKeys());

        client.interestOps(W);
        final List<SelectionKey> consumed = new ArrayList<>();
        final List<Integer> readyOps = new ArrayList<>();
        final int n = selector.select(k ->
        {
            consumed.add(k);
            readyOps.add(k.readyOps());
        });
        assertEquals(2, n);
        assertEquals(2, consumed.size(), "once per key");
        assertEquals(Set.of(client, server), new HashSet<>(consumed));
        assertEquals(W, readyOps.get(consumed.indexOf(client)), "replaced, not accumulated");
        assertEquals(W, readyOps.get(consumed.indexOf(server)));
        assertEquals(before, selector.selectedKeys(), "the selected-key set is not used");

        consumed.clear();
        assertEquals(2, selector.selectNow(consumed::add));
        assertEquals(2, selector.select(consumed::add, 1_000));
        assertEquals(4, consumed.size());

        client.interestOps(0);
        server.interestOps(0);
        final long start = System.nanoTime();
        assertEquals(0, selector.select(k -> fail("not ready: " + k), 200));
        assertWaited(start, 200);
        assertEquals(0, selector.selectNow(k -> fail("not ready: " + k)));
    }

    @Test
    public void shouldPropagateAnExceptionOfTheAction() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        register(pipe.sink(), selector, W);
        final IllegalStateException thrown = new IllegalStateException("from the action");
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> selector.select(k ->
        {
            throw thrown;
        })));
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> selector.selectNow(k ->
        {
            throw thrown;
        })));
        assertThrows(NullPointerException.class, () -> selector.selectNow(null));
        assertTrue(selector.isOpen());
        assertEquals(1, selector.selectNow(k -> { }), "still usable");
        selector.close();
        assertThrows(ClosedSelectorException.class, () -> selector.select(k -> { }, 10));
    }

    @Test
    public void shouldRunTheActionHoldingTheSelectorLocksAndRefuseReentrantSelection() throws Exception
    {
        final Selector selector = openSelector();
        final Pipe pipe = openPipe();
        final SelectionKey key = register(pipe.sink(), selector, W);
        final List<String> seen = new ArrayList<>();
        assertEquals(1, selector.selectNow(k ->
        {
            // Selector Javadoc, "Concurrency": selection synchronizes on the selector, then the selected-key set.
            seen.add("selector " + Thread.holdsLock(selector) + ", selected keys " +
                Thread.holdsLock(selector.selectedKeys()));
            assertThrows(IllegalStateException.class, selector::selectNow, "no selection inside the action");
            assertThrows(IllegalStateException.class, () -> selector.select(x -> fail("nested")));
        }));
        assertEquals(List.of("selector true, selected keys true"), seen);

        // Cancelled keys leave both sets during select(Consumer), which never calls the action for them.
        final Pipe other = openPipe();
        final SelectionKey second = register(other.sink(), selector, W);
        assertEquals(2, selector.select());
        key.cancel();
        assertEquals(1, selector.selectNow(k -> assertSame(second, k)));
        assertFalse(selector.keys().contains(key));
        assertFalse(selector.selectedKeys().contains(key));
        assertTrue(selector.selectedKeys().contains(second), "the set is otherwise untouched");

        // An action that closes the selector: the operation ends with ClosedSelectorException.
        assertThrows(ClosedSelectorException.class, () -> selector.selectNow(k ->
        {
            try
            {
                selector.close();
            }
            catch (final java.io.IOException e)
            {
                throw new java.io.UncheckedIOException(e);
            }
        }));
        assertFalse(selector.isOpen());
    }
}
