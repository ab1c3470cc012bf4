package io.rdmasockets.nio.channels;

import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Set;

/** A set that elements may be removed from but not added to: the selected-key set as applications see it. */
final class UngrowableSet<E> extends AbstractSet<E>
{
    private final Set<E> set;

    UngrowableSet(final Set<E> set)
    {
        this.set = set;
    }

    @Override
    public int size()
    {
        return set.size();
    }

    @Override
    public boolean isEmpty()
    {
        return set.isEmpty();
    }

    @Override
    public boolean contains(final Object o)
    {
        return set.contains(o);
    }

    @Override
    public Iterator<E> iterator()
    {
        return set.iterator();
    }

    @Override
    public boolean remove(final Object o)
    {
        return set.remove(o);
    }

    @Override
    public void clear()
    {
        set.clear();
    }

    @Override
    public boolean add(final E e)
    {
        throw new UnsupportedOperationException("the selected-key set cannot grow");
    }
}
