package io.rdmasockets.tools.run;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An unmodified Netty NIO echo server and client (no rdmasockets API), then the engine's counter. */
public final class NettyEchoProgram
{
    private NettyEchoProgram()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final EventLoopGroup group = new NioEventLoopGroup(2);
        try
        {
            final Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel ch)
                    {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter()
                        {
                            @Override
                            public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                            {
                                ctx.writeAndFlush(msg);
                            }
                        });
                    }
                })
                .bind(new InetSocketAddress(TestHost.address(), 0)).sync().channel();
            final CompletableFuture<String> echoed = new CompletableFuture<>();
            final StringBuilder got = new StringBuilder();
            final String message = "netty over rdmasockets";
            final Channel client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInboundHandlerAdapter()
                {
                    @Override
                    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
                    {
                        final ByteBuf b = (ByteBuf)msg;
                        got.append(b.toString(StandardCharsets.UTF_8));
                        b.release();
                        if (got.length() >= message.length())
                        {
                            echoed.complete(got.toString());
                        }
                    }
                })
                .connect(server.localAddress()).sync().channel();
            client.writeAndFlush(Unpooled.copiedBuffer(message, StandardCharsets.UTF_8));
            final String back = echoed.get(30, TimeUnit.SECONDS);
            System.out.println("netty " + back + " rsockets=" + Counters.openRsockets());
            client.close().sync();
            server.close().sync();
        }
        finally
        {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
