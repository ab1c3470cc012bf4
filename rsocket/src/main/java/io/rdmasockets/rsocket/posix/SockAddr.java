package io.rdmasockets.rsocket.posix;

import java.net.Inet6Address;
import java.net.InetSocketAddress;

/**
 * An address out-parameter, C's {@code struct sockaddr *addr, socklen_t *addrlen} pair: {@link Rsockets#raccept},
 * {@link Rsockets#rgetpeername}, {@link Rsockets#rgetsockname} and {@link Rsockets#rrecvfrom} fill it in. Reuse one
 * as C code reuses its {@code struct sockaddr_storage}. Addresses going in are plain {@link InetSocketAddress}es.
 *
 * <p><b>Note:</b> not thread safe.
 */
public final class SockAddr
{
    private InetSocketAddress address;

    /** An empty one. */
    public SockAddr()
    {
    }

    /** @return the address filled in, or {@code null} when none was. */
    public InetSocketAddress address()
    {
        return address;
    }

    /**
     * @return {@link RsocketConstants#AF_INET6} for an IPv6 address, {@link RsocketConstants#AF_INET} for an IPv4
     *         one (Java shows an IPv4-mapped address as IPv4), 0 when empty.
     */
    public int family()
    {
        if (null == address)
        {
            return 0;
        }
        return address.getAddress() instanceof Inet6Address ? RsocketConstants.AF_INET6 : RsocketConstants.AF_INET;
    }

    /**
     * Empties it.
     *
     * @return this.
     */
    public SockAddr clear()
    {
        address = null;
        return this;
    }

    void set(final InetSocketAddress address)
    {
        this.address = address;
    }

    @Override
    public String toString()
    {
        return String.valueOf(address);
    }
}
