package dev.weft.gossip.link;

import dev.weft.gossip.wire.proto.Frame;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.SslContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A hand-driven client end of a peer link, for tests that play a misbehaving or unwelcome peer. */
public final class RawLink implements AutoCloseable {
    private final ManagedChannel channel;
    private final StreamObserver<byte[]> out;
    public final List<Frame> received = new CopyOnWriteArrayList<>();
    public final CompletableFuture<Status> ended = new CompletableFuture<>();

    public RawLink(String host, int port, SslContext tls) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port);
        channel = (tls == null ? b.usePlaintext() : b.sslContext(tls)).build();
        out = ClientCalls.asyncBidiStreamingCall(channel.newCall(LinkMethod.LINK, CallOptions.DEFAULT), new StreamObserver<>() {
            @Override
            public void onNext(byte[] value) {
                try {
                    received.add(Frame.parseFrom(value));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    ended.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                ended.complete(Status.OK);
            }
        });
    }

    public RawLink send(byte[] frame) {
        out.onNext(frame);
        return this;
    }

    public RawLink send(Frame frame) {
        return send(frame.toByteArray());
    }

    public Status awaitEnd() throws Exception {
        return ended.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            out.onCompleted();
        } catch (RuntimeException ignored) {
            // The call already ended.
        }
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
