package dev.weft.e2e;

import dev.weft.gossip.link.LinkMethod;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.proto.Address;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.Hello;
import dev.weft.gossip.wire.proto.PeerRef;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Hostile peer frames, sent from inside a node's namespace (run as its own JVM through {@code ip netns exec}) to
 * another weftd's peer port over the real link method: random bytes, a truncated hello, an oversized frame, a hello
 * of another cluster, one of a protocol version nobody speaks, and a hello replayed on the same link. One stream per
 * case. Prints the number of cases sent; each must be counted by the target as at least one reject.
 */
public final class PeerFrameFuzzer {
    private PeerFrameFuzzer() {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        List<List<byte[]>> cases = cases(new Random(seed), host);
        ManagedChannel ch = NettyChannelBuilder.forAddress(host, port).usePlaintext()
                .maxInboundMessageSize(8 << 20).build();
        try {
            for (List<byte[]> frames : cases) {
                send(ch, frames);
            }
        } finally {
            ch.shutdownNow();
            ch.awaitTermination(10, TimeUnit.SECONDS);
        }
        System.out.println(cases.size());
    }

    static List<List<byte[]>> cases(Random r, String host) {
        List<List<byte[]>> out = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            byte[] junk = new byte[1 + r.nextInt(300)];
            r.nextBytes(junk);
            junk[0] = (byte) 0xFF; // field 31, wire type 7: never a valid protobuf start
            out.add(List.of(junk));
        }
        byte[] hello = hello("intruder-" + Long.toHexString(r.nextLong()), "", Protocol.CURRENT, host);
        out.add(List.of(Arrays.copyOf(hello, hello.length - 3)));
        byte[] huge = new byte[(4 << 20) + 16];
        r.nextBytes(huge);
        out.add(List.of(huge));
        out.add(List.of(hello("intruder-x", "cluster-of-another-bootstrap", Protocol.CURRENT, host)));
        out.add(List.of(hello("intruder-y", "", Protocol.CURRENT + 1000, host)));
        byte[] replayed = hello("intruder-" + Long.toHexString(r.nextLong()), "", Protocol.CURRENT, host);
        out.add(List.of(replayed, replayed));
        return out;
    }

    static byte[] hello(String name, String cluster, int protocol, String host) {
        return Frame.newBuilder().setHello(Hello.newBuilder().setProtocol(protocol).setCluster(cluster)
                .setSelf(PeerRef.newBuilder().setName(name).setUid(0x5eed))
                .setListen(Address.newBuilder().setHost(host).setPort(1))).build().toByteArray();
    }

    private static void send(ManagedChannel ch, List<byte[]> frames) throws InterruptedException {
        ClientCall<byte[], byte[]> call = ch.newCall(LinkMethod.LINK, CallOptions.DEFAULT);
        CountDownLatch closed = new CountDownLatch(1);
        call.start(new ClientCall.Listener<>() {
            @Override
            public void onClose(Status status, Metadata trailers) {
                closed.countDown();
            }
        }, new Metadata());
        call.request(16);
        for (byte[] f : frames) {
            call.sendMessage(f);
        }
        call.halfClose();
        // the peer may keep the link open after a dropped frame: give it time to read, then hang up
        if (!closed.await(1500, TimeUnit.MILLISECONDS)) {
            call.cancel("fuzz case done", null);
        }
    }
}
