package io.rdmasockets.tools.echo;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import java.util.Iterator;
import java.util.concurrent.Callable;

/**
 * {@code rsock echo-server}: DMM's {@code vs_epoll}, an echo server. One selector serves the listener and
 * every connection (C ran an epoll thread per connection); each complete {@code -l}-byte message is counted
 * and echoed. Unlike C, which never exits, it stops after {@code -n} connections have come and gone. C's
 * per-event debug lines ({@code event:%d; ret:%d}, {@code no more connect}) are left out; file descriptor
 * numbers, which Java does not have, become peer addresses.
 */
@Command(
    name = "echo-server",
    mixinStandardHelpOptions = true,
    header = "DMM vs_epoll: selector-based echo server over java.nio (rsockets when the provider is installed).",
    description = {
        "Uses -s -r -l -t -n -u -x; the client flags are accepted and ignored, as in C. Lines: " +
        "'INFO:Bind Success, port P IP:A' (the bound port, also with -r 0), 'accept cnt [N], ...', and with -x " +
        "and -u: 'receive count:N, receive time: T ns', 'receive pps = P', 'receive bytes/s = B'.",
        ""},
    footer = {"", "Example:", "  rsock echo-server -s 127.0.0.1 -r 7895 -l 1000 -t 500000 -u 50000 -n 1"})
public final class EchoServerCommand implements Callable<Integer>
{
    @Mixin
    EchoFlags flags;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception
    {
        flags.validate(spec);
        final PrintWriter out = spec.commandLine().getOut();
        final SelectorProvider provider = SelectorProvider.provider();
        try (Selector selector = provider.openSelector();
             ServerSocketChannel listener = provider.openServerSocketChannel())
        {
            out.println("INFO:SelectorProvider " + provider.getClass().getName());
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(flags.srcAddress, flags.recvPort), 100);
            out.println("INFO:Create listen socket Success");
            final InetSocketAddress bound = (InetSocketAddress)listener.getLocalAddress();
            out.println("INFO:Bind Success, port " + bound.getPort() + " IP:" + bound.getAddress().getHostAddress());
            out.println("Listen Success");
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
            serve(selector, listener, out);
        }
        return 0;
    }

    private void serve(final Selector selector, final ServerSocketChannel listener, final PrintWriter out)
        throws IOException
    {
        int accepted = 0;
        int open = 0;
        long messages = 0;
        while (accepted < flags.connectNum || open > 0)
        {
            selector.select();
            final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext())
            {
                final SelectionKey key = keys.next();
                keys.remove();
                if (key.channel() == listener)
                {
                    SocketChannel channel;
                    while (accepted < flags.connectNum && null != (channel = listener.accept()))
                    {
                        channel.configureBlocking(false);
                        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                        channel.register(selector, SelectionKey.OP_READ, new EchoConnection(accepted, flags, out));
                        accepted++;
                        open++;
                        out.println("accept cnt [" + accepted + "], cur accept peer [" + channel.getRemoteAddress() + "]");
                    }
                    if (accepted == flags.connectNum)
                    {
                        listener.close(); // -n served: refuse more
                    }
                    continue;
                }
                final EchoConnection connection = (EchoConnection)key.attachment();
                boolean live;
                try
                {
                    live = connection.onReady(key);
                }
                catch (final IOException e)
                {
                    out.println("connection " + connection.id() + " error: " + e.getMessage() + ", closing");
                    key.channel().close();
                    live = false;
                }
                if (!live)
                {
                    open--;
                    messages += connection.count();
                    out.println("connection " + connection.id() + " closed: " + connection.count() + " messages");
                }
            }
        }
        out.println("server done: " + accepted + " connections, " + messages + " messages");
    }
}
