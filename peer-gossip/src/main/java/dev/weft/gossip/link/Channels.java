package dev.weft.gossip.link;

import dev.weft.gossip.Bounds;
import dev.weft.gossip.HostPort;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * How the gRPC server and the channels to peers are built: one small netty thread group per transport, the
 * frame bound, keepalive, and TLS or (only when configured) plaintext.
 */
public final class Channels {
    /** gRPC's own hard stop above the frame bound, so a slightly oversized frame is counted, not fatal. */
    static final int GRPC_SLACK = 64 * 1024;

    private Channels() {}

    public static NettyServerBuilder server(HostPort listen, Bounds bounds, EventLoopGroup group, SslContext tls) {
        long keepalive = bounds.keepalive().toMillis();
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(listen.host(), listen.port()))
                .bossEventLoopGroup(group).workerEventLoopGroup(group).channelType(NioServerSocketChannel.class)
                .directExecutor()
                .maxInboundMessageSize(bounds.maxFrameBytes() + GRPC_SLACK)
                .keepAliveTime(keepalive, TimeUnit.MILLISECONDS)
                .keepAliveTimeout(keepalive, TimeUnit.MILLISECONDS)
                .permitKeepAliveTime(Math.max(1, keepalive / 2), TimeUnit.MILLISECONDS)
                .permitKeepAliveWithoutCalls(true);
        return tls == null ? b : b.sslContext(tls);
    }

    public static ManagedChannel to(HostPort address, Bounds bounds, EventLoopGroup group, SslContext tls) {
        long keepalive = bounds.keepalive().toMillis();
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(address.host(), address.port())
                .eventLoopGroup(group).channelType(NioSocketChannel.class).directExecutor()
                .maxInboundMessageSize(bounds.maxFrameBytes() + GRPC_SLACK)
                .keepAliveTime(keepalive, TimeUnit.MILLISECONDS)
                .keepAliveTimeout(keepalive, TimeUnit.MILLISECONDS)
                // A failed link is the transport's business (down, back-off), not something to hide by retrying.
                .disableRetry();
        return (tls == null ? b.usePlaintext() : b.sslContext(tls)).build();
    }
}
