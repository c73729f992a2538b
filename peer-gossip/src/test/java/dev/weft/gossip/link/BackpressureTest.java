package dev.weft.gossip.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import dev.weft.gossip.Bounds;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.GrpcTransport;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.LinkConfig;
import dev.weft.gossip.Transport;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.KnownPeers;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A peer that stops reading: ring gossip for it is shed once its stream backs up, not buffered without end. */
class BackpressureTest {

    @Test
    void gossipForAPeerThatDoesNotReadIsDroppedAndCounted() throws Exception {
        ClusterId cluster = new ClusterId("c");
        GrpcTransport t = GrpcTransport.create(new LinkConfig(new PeerId("server", 1), new HostPort("127.0.0.1", 0), null,
                List.of(), new Credentials.Plaintext(), () -> cluster, Bounds.defaults()));
        List<PeerId> up = new java.util.concurrent.CopyOnWriteArrayList<>();
        t.start(new Transport.Listener() {
            @Override
            public void onMessage(PeerId from, Message message) {}

            @Override
            public void onPeerUp(PeerId peer) {
                up.add(peer);
            }

            @Override
            public void onPeerDown(PeerId peer) {}
        });
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", t.port()).usePlaintext().build();
        try {
            AtomicInteger read = new AtomicInteger();
            ClientCall<byte[], byte[]> call = channel.newCall(LinkMethod.LINK, CallOptions.DEFAULT);
            call.start(new ClientCall.Listener<>() {
                @Override
                public void onMessage(byte[] message) {
                    read.incrementAndGet();
                }
            }, new Metadata());
            call.request(1); // the hello, and nothing after it
            PeerId slow = new PeerId("slow", 2);
            call.sendMessage(Frame.newBuilder().setHello(Handshake.hello(Protocol.CURRENT, slow, cluster,
                    new HostPort("127.0.0.1", 9), KnownPeers.getDefaultInstance())).build().toByteArray());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (up.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(up).containsExactly(slow);

            Message big = new Message.Gossip(ring(cluster), 1, false); // ~20 KB
            for (int i = 0; i < 200; i++) {
                t.send(slow, big);
            }
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (t.counters().getOrDefault("dropped.backpressure", 0L) + t.counters().getOrDefault("messages.out.gossip", 0L)
                    < 200 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long dropped = t.counters().getOrDefault("dropped.backpressure", 0L);
            long sent = t.counters().getOrDefault("messages.out.gossip", 0L);
            assertThat(dropped).isPositive();
            assertThat(sent + dropped).isEqualTo(200);
            assertThat(read.get()).isEqualTo(1);
            call.cancel("done", null);
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
            t.close();
        }
    }

    private static RingPiece ring(ClusterId cluster) {
        Range u = new Range(0, 1 << 20);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Range r = u.share(i, 1000);
            entries.add(Entry.of(r.start(), 1, new PeerId("owner-" + i, i), r.size(), r.end()));
        }
        return new RingPiece(cluster, u, entries, new TreeSet<>(), true);
    }
}
