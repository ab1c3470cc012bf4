package io.rdmasockets.tools.bench;

import io.rdmasockets.tools.stream.Connection;
import io.rdmasockets.tools.stream.Transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * A socket layer that copies every byte through rings of its own, as an rsocket does: a send copies the
 * caller's bytes into a send ring and transmits from there, a receive lands in a receive ring and is copied
 * out (C's {@code rsend} into {@code sbuf}, {@code rrecv} out of {@code rbuf}; rsocket-wire-protocol.md
 * section 2.4). Over JDK sockets this is the least an rsocket engine on a kernel-TCP verbs provider can
 * cost, whatever the provider does: the baseline that separates the protocol's copies from the provider's
 * overhead in {@code rsock bench-stream}.
 *
 * <p>Each ring is as large as the socket buffer option ({@code -B}, as the rsocket rings) and is walked
 * round, so the copies touch as much memory as the engine's.
 */
final class StagedTransport implements Transport
{
    private final Transport socket;
    /** Ring bytes, or 0 for the socket buffer option's size. */
    private final int ringSize;

    /** @param socket the transport whose connections get the rings, as large as the socket buffer option. */
    StagedTransport(final Transport socket)
    {
        this(socket, 0);
    }

    /**
     * @param socket   the transport whose connections get the rings.
     * @param ringSize ring bytes (at least 4096), whatever the socket buffers; 0 for the buffer option's size.
     */
    StagedTransport(final Transport socket, final int ringSize)
    {
        this.socket = socket;
        this.ringSize = ringSize;
    }

    private int ringSize(final Options options)
    {
        return 0 == ringSize ? options.bufferSize() : ringSize;
    }

    @Override
    public String name()
    {
        return socket.name() + "+copies";
    }

    @Override
    public Listener listen(final InetSocketAddress local) throws IOException
    {
        final Listener listener = socket.listen(local);
        return new Listener()
        {
            @Override
            public Connection accept(final Options options, final long timeoutMs) throws IOException
            {
                return new Staged(listener.accept(options, timeoutMs), ringSize(options));
            }

            @Override
            public int port()
            {
                return listener.port();
            }

            @Override
            public void close()
            {
                listener.close();
            }
        };
    }

    @Override
    public Connection connect(final InetSocketAddress remote, final InetSocketAddress local, final Options options,
        final long timeoutMs) throws IOException
    {
        return new Staged(socket.connect(remote, local, options, timeoutMs), ringSize(options));
    }

    /** One connection with its two rings. */
    static final class Staged implements Connection
    {
        private final Connection delegate;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment sendRing;
        private final MemorySegment recvRing;
        private final int size;
        private int sendAt;
        private int recvAt;
        /** What the send ring holds at {@code sendAt} from a send refused with {@code EAGAIN}, if anything. */
        private MemorySegment stagedSource;
        private long stagedOffset;
        private int stagedLength;

        Staged(final Connection delegate, final int ringSize)
        {
            this.delegate = delegate;
            this.size = Math.max(4096, ringSize);
            this.sendRing = arena.allocate(size, 64);
            this.recvRing = arena.allocate(size, 64);
        }

        /**
         * Copies into the send ring and sends from there. A send refused with {@code EAGAIN} and retried for the
         * same bytes is not copied again (an rsocket copies only once it can send; re-copying each refused try
         * was done on about 30% of the sends in {@code bench-stream}'s bandwidth test): the caller must not change
         * bytes it retries, as rstream does not.
         */
        @Override
        public int send(final MemorySegment buffer, final long offset, final int length, final int flags)
        {
            final int chunk = Math.min(length, size - sendAt);
            if (buffer != stagedSource || offset != stagedOffset || chunk > stagedLength)
            {
                MemorySegment.copy(buffer, offset, sendRing, sendAt, chunk);
                stagedSource = buffer;
                stagedOffset = offset;
                stagedLength = chunk;
            }
            final int n = delegate.send(sendRing, sendAt, chunk, flags);
            if (n > 0)
            {
                sendAt = (sendAt + n) % size;
                stagedSource = null;
            }
            return n;
        }

        @Override
        public int recv(final MemorySegment buffer, final long offset, final int length, final int flags)
        {
            final int chunk = Math.min(length, size - recvAt);
            final int n = delegate.recv(recvRing, recvAt, chunk, flags);
            if (n > 0)
            {
                MemorySegment.copy(recvRing, recvAt, buffer, offset, n);
                recvAt = (recvAt + n) % size;
            }
            return n;
        }

        @Override
        public int poll(final int events)
        {
            return delegate.poll(events);
        }

        @Override
        public String describe(final int status)
        {
            return delegate.describe(status);
        }

        @Override
        public void shutdown()
        {
            delegate.shutdown();
        }

        @Override
        public void close()
        {
            delegate.close();
            arena.close();
        }
    }
}
