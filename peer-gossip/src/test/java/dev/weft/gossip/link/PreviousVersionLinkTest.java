package dev.weft.gossip.link;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import dev.weft.gossip.Bounds;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.GrpcTransport;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.LinkConfig;
import dev.weft.gossip.Transport;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.KnownPeers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A peer one protocol version behind is linked, not refused (a rolling upgrade), and is sent only what its
 * version can read: top segment digests go to it as a plain digest (it answers with its whole ring, as it
 * always did), the rest of a segment exchange not at all; a peer of our own version gets them as they are.
 */
class PreviousVersionLinkTest {
    private static final ClusterId OURS = new ClusterId("ours");

    private final List<String> events = new CopyOnWriteArrayList<>();
    private GrpcTransport transport;

    @BeforeEach
    void start() throws Exception {
        transport = GrpcTransport.create(new LinkConfig(new PeerId("server", 1), new HostPort("127.0.0.1", 0), null,
                List.of(), new Credentials.Plaintext(), () -> OURS, Bounds.defaults()));
        transport.start(new Transport.Listener() {
            @Override
            public void onMessage(PeerId from, Message message) {}

            @Override
            public void onPeerUp(PeerId peer) {
                events.add("up:" + peer.name());
            }

            @Override
            public void onPeerDown(PeerId peer) {}
        });
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<CoreMessage> messages(RawLink l) {
        List<CoreMessage> out = new ArrayList<>();
        for (Frame f : l.received) {
            if (f.hasMessage()) {
                out.add(f.getMessage());
            }
        }
        return out;
    }

    private List<CoreMessage> exchangeAt(int protocol, String name) throws Exception {
        PeerId peer = new PeerId(name, 9);
        try (RawLink l = new RawLink("127.0.0.1", transport.port(), null)) {
            l.send(Frame.newBuilder().setHello(Handshake.hello(protocol, peer, OURS, new HostPort("127.0.0.1", 1),
                    KnownPeers.getDefaultInstance())).build());
            await(() -> events.contains("up:" + name));
            List<Long> tops = new ArrayList<>();
            for (int i = 0; i < Segments.TOPS; i++) {
                tops.add((long) i);
            }
            transport.send(peer, new Message.SegmentDigests(OURS, 77, List.of(), tops));
            Range u = new Range(0, 1 << 20);
            transport.send(peer, new Message.SegmentEntries(new RingPiece(OURS, u, List.of(), new TreeSet<>(), false), 77,
                    List.of(3), false));
            transport.send(peer, new Message.Digest(OURS, 78)); // a marker: everything before it was written
            await(() -> messages(l).stream().anyMatch(m -> m.hasDigest() && m.getDigest().getDigest() == 78));
            return messages(l);
        }
    }

    @Test
    void aPeerOfThePreviousVersionGetsAPlainDigestForTopSegmentsAndNoneOfTheRest() throws Exception {
        List<CoreMessage> got = exchangeAt(Protocol.CURRENT - 1, "older");
        assertThat(got).hasSize(2);
        assertThat(got.get(0).hasDigest()).isTrue();
        assertThat(got.get(0).getDigest().getDigest()).isEqualTo(77);
        assertThat(got.get(0).getDigest().getCluster()).isEqualTo("ours");
        assertThat(transport.counters()).containsEntry("dropped.old_version", 1L);
    }

    @Test
    void aPeerOfOurVersionGetsTheSegmentExchangeAsItIs() throws Exception {
        List<CoreMessage> got = exchangeAt(Protocol.CURRENT, "current");
        assertThat(got).hasSize(3);
        assertThat(got.get(0).hasSegmentDigests()).isTrue();
        assertThat(got.get(1).hasSegmentEntries()).isTrue();
        assertThat(transport.counters()).doesNotContainKey("dropped.old_version");
    }
}
