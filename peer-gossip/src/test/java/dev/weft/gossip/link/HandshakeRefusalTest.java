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
import dev.weft.gossip.wire.MessageEncoder;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.Hello;
import dev.weft.gossip.wire.proto.KnownPeers;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One plaintext transport and hand-driven peers that get things wrong: wrong version, wrong cluster, frames
 * out of order, malformed, oversized. Each is refused or dropped, counted, and never reaches the core.
 */
class HandshakeRefusalTest {
    private static final ClusterId OURS = new ClusterId("ours");
    private static final int MAX = 8 * 1024;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private GrpcTransport transport;

    @BeforeEach
    void start() throws Exception {
        Bounds b = Bounds.defaults();
        Bounds small = new Bounds(MAX, b.maxLinks(), b.idleTimeout(), b.keepalive(), b.backoffBase(), b.backoffMax(),
                b.sendQueue(), b.membershipInterval());
        transport = GrpcTransport.create(new LinkConfig(new PeerId("server", 1), new HostPort("127.0.0.1", 0), null,
                List.of(), new Credentials.Plaintext(), () -> OURS, small));
        transport.start(new Transport.Listener() {
            @Override
            public void onMessage(PeerId from, Message message) {
                events.add("message:" + from.name() + ":" + message.getClass().getSimpleName());
            }

            @Override
            public void onPeerUp(PeerId peer) {
                events.add("up:" + peer.name());
            }

            @Override
            public void onPeerDown(PeerId peer) {
                events.add("down:" + peer.name());
            }
        });
    }

    @AfterEach
    void stop() {
        transport.close();
    }

    private RawLink dial() {
        return new RawLink("127.0.0.1", transport.port(), null);
    }

    private static Frame hello(int protocol, String cluster, String name) {
        return Frame.newBuilder().setHello(Handshake.hello(protocol, new PeerId(name, 9),
                cluster == null ? null : new ClusterId(cluster), new HostPort("127.0.0.1", 1),
                KnownPeers.getDefaultInstance())).build();
    }

    private static Frame digest(String cluster) {
        return Frame.newBuilder().setMessage(MessageEncoder.encode(new Message.Digest(new ClusterId(cluster), 5))).build();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private long counter(String name) {
        return transport.counters().getOrDefault(name, 0L);
    }

    @Test
    void aStartWithoutUsableCaFilesFailsWithWhatToDoAndLeavesNothingRunning(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path dir) throws Exception {
        GrpcTransport t = GrpcTransport.create(new LinkConfig(new PeerId("x", 3), new HostPort("127.0.0.1", 0), null,
                List.of(), new Credentials.MutualTls(dir.resolve("ca.crt"), dir.resolve("ca.key")), () -> null,
                Bounds.defaults()));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.start(new Transport.Listener() {
            @Override
            public void onMessage(PeerId from, Message message) {}

            @Override
            public void onPeerUp(PeerId peer) {}

            @Override
            public void onPeerDown(PeerId peer) {}
        })).isInstanceOf(java.io.IOException.class).hasMessageContaining("ca.crt").hasMessageContaining("NewClusterCa");
        assertThat(t.port()).isEqualTo(-1);
        t.close();
        await(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(th -> th.isAlive() && (th.getName().equals("weft-link-x") || th.getName().startsWith("weft-netty-x"))));
    }

    @Test
    void plaintextIsFlaggedForMetrics() {
        assertThat(counter("plaintext")).isEqualTo(1);
    }

    @Test
    void aVersionOutsideTheWindowIsRefusedWithAReason() throws Exception {
        for (int v : new int[] {Protocol.CURRENT + 1, 0, 99}) {
            try (RawLink l = dial().send(hello(v, "ours", "newer"))) {
                assertThat(l.awaitEnd().isOk()).isTrue();
                assertThat(l.received).hasSize(1);
                assertThat(l.received.get(0).getRefusal().getReason()).contains("wire protocol " + v);
            }
        }
        assertThat(counter("rejects.wrong_version")).isEqualTo(3);
        assertThat(events).isEmpty();
    }

    @Test
    void anotherClustersPeerIsRefused() throws Exception {
        try (RawLink l = dial().send(hello(Protocol.CURRENT, "theirs", "stranger"))) {
            l.awaitEnd();
            assertThat(l.received.get(0).getRefusal().getReason()).contains("cluster theirs");
        }
        assertThat(counter("rejects.wrong_cluster")).isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void aHelloWithoutIdentityIsRefused() throws Exception {
        try (RawLink l = dial().send(Frame.newBuilder().setHello(Hello.newBuilder().setProtocol(Protocol.CURRENT)).build())) {
            l.awaitEnd();
            assertThat(l.received.get(0).hasRefusal()).isTrue();
        }
        assertThat(counter("rejects.malformed")).isEqualTo(1);
        assertThat(events).isEmpty();
    }

    @Test
    void badFramesOnALiveLinkAreDroppedAndCountedAndTheLinkStays() throws Exception {
        try (RawLink l = dial()) {
            l.send(digest("ours")); // before the hello
            await(() -> counter("rejects.out_of_order") == 1);
            l.send(hello(Protocol.CURRENT, null, "forming"));
            await(() -> events.contains("up:forming"));
            // The link is up on the server before its hello has crossed back to us: wait for the frame itself.
            await(() -> !l.received.isEmpty());
            assertThat(l.received.get(0).hasHello()).isTrue();

            l.send(new byte[] {(byte) 0xff, 0x01, 0x02});
            await(() -> counter("rejects.malformed") == 1);
            l.send(new byte[MAX + 100]);
            await(() -> counter("rejects.oversized") == 1);
            l.send(digest("theirs"));
            await(() -> counter("rejects.wrong_cluster") == 1);
            l.send(hello(Protocol.CURRENT, null, "forming"));
            await(() -> counter("rejects.out_of_order") == 2);

            l.send(digest("ours"));
            await(() -> events.contains("message:forming:Digest"));
            assertThat(l.ended).isNotDone();
        }
        assertThat(events).containsExactly("up:forming", "message:forming:Digest");
    }

    @Test
    void aRingConflictIsTheCoresBusinessAndNeverDropsTheLink() throws Exception {
        Range u = new Range(0, 1024);
        PeerId a = new PeerId("a", 1);
        PeerId b = new PeerId("b", 2);
        // Two installs claiming token 0 at the same version: the conflict the core must see and settle.
        Entry conflicted = Entry.join(Entry.of(0, 3, a, 10, 512), Entry.of(0, 3, b, 20, 512));
        RingPiece piece = new RingPiece(OURS, u, List.of(conflicted, Entry.of(512, 1, b, 512, 1024)), new TreeSet<>(), true);
        try (RawLink l = dial()) {
            l.send(hello(Protocol.CURRENT, "ours", "rival"));
            await(() -> events.contains("up:rival"));
            for (int i = 0; i < 3; i++) {
                l.send(Frame.newBuilder().setMessage(MessageEncoder.encode(new Message.Gossip(piece, 7, true))).build());
            }
            await(() -> events.stream().filter("message:rival:Gossip"::equals).count() == 3);
            assertThat(l.ended).isNotDone();
        }
        assertThat(transport.counters().keySet()).noneMatch(k -> k.startsWith("rejects."));
    }

    @Test
    void aCallerThatNeverSaysHelloIsClosedAfterTheIdleTimeout() throws Exception {
        Bounds b = Bounds.defaults();
        GrpcTransport quick = GrpcTransport.create(new LinkConfig(new PeerId("quick", 2), new HostPort("127.0.0.1", 0), null,
                List.of(), new Credentials.Plaintext(), () -> OURS, new Bounds(MAX, b.maxLinks(), Duration.ofMillis(300),
                        b.keepalive(), b.backoffBase(), b.backoffMax(), b.sendQueue(), b.membershipInterval())));
        try {
            quick.start(new Transport.Listener() {
                @Override
                public void onMessage(PeerId from, Message message) {}

                @Override
                public void onPeerUp(PeerId peer) {}

                @Override
                public void onPeerDown(PeerId peer) {}
            });
            try (RawLink silent = new RawLink("127.0.0.1", quick.port(), null)) {
                silent.send(new byte[0]); // opens the stream; an empty frame is no hello
                assertThat(silent.awaitEnd().isOk()).isTrue();
                assertThat(silent.received).isEmpty();
            }
            assertThat(quick.counters()).containsEntry("links.idle_closed", 1L);
        } finally {
            quick.close();
        }
    }

    @Test
    void aMessageForAPeerWithNoKnownAddressIsDroppedAndCounted() throws Exception {
        transport.send(new PeerId("nowhere", 3), new Message.Digest(null, 0));
        await(() -> counter("dropped.no_address") == 1);
    }
}
