package io.rdmasockets.nio.channels;


import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.spi.SelectorProvider;

/**
 * A JDK pipe behind channels of this provider, so that it registers with a {@link HybridSelector} (a
 * selector accepts only channels of its own provider).
 */
final class KernelPipe extends Pipe
{
    private final Source source;
    private final Sink sink;

    KernelPipe(final SelectorProvider provider, final Pipe pipe)
    {
        this.source = new Source(provider, pipe.source());
        this.sink = new Sink(provider, pipe.sink());
    }

    @Override
    public SourceChannel source()
    {
        return source;
    }

    @Override
    public SinkChannel sink()
    {
        return sink;
    }

    /** The read end. */
    static final class Source extends SourceChannel implements KernelChannel
    {
        private final SourceChannel delegate;
        private final KeyList keys = new KeyList();

        Source(final SelectorProvider provider, final SourceChannel delegate)
        {
            super(provider);
            this.delegate = delegate;
        }

        @Override
        public int read(final ByteBuffer dst) throws IOException
        {
            return delegate.read(dst);
        }

        @Override
        public long read(final ByteBuffer[] dsts, final int offset, final int length) throws IOException
        {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public long read(final ByteBuffer[] dsts) throws IOException
        {
            return delegate.read(dsts);
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException
        {
            delegate.close();
        }

        @Override
        protected void implConfigureBlocking(final boolean block) throws IOException
        {
            KernelChannel.configureBlocking(this, block);
        }

        @Override
        public SelectableChannel kernel()
        {
            return delegate;
        }

        @Override
        public KeyList keys()
        {
            return keys;
        }
    }

    /** The write end. */
    static final class Sink extends SinkChannel implements KernelChannel
    {
        private final SinkChannel delegate;
        private final KeyList keys = new KeyList();

        Sink(final SelectorProvider provider, final SinkChannel delegate)
        {
            super(provider);
            this.delegate = delegate;
        }

        @Override
        public int write(final ByteBuffer src) throws IOException
        {
            return delegate.write(src);
        }

        @Override
        public long write(final ByteBuffer[] srcs, final int offset, final int length) throws IOException
        {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long write(final ByteBuffer[] srcs) throws IOException
        {
            return delegate.write(srcs);
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException
        {
            delegate.close();
        }

        @Override
        protected void implConfigureBlocking(final boolean block) throws IOException
        {
            KernelChannel.configureBlocking(this, block);
        }

        @Override
        public SelectableChannel kernel()
        {
            return delegate;
        }

        @Override
        public KeyList keys()
        {
            return keys;
        }
    }
}
