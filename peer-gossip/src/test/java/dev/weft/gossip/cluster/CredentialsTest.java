package dev.weft.gossip.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.bootstrap.Bootstrap;
import dev.weft.core.peer.PeerId;
import dev.weft.gossip.Counters;
import dev.weft.gossip.Credentials;
import dev.weft.gossip.HostPort;
import dev.weft.gossip.link.Handshake;
import dev.weft.gossip.link.RawLink;
import dev.weft.gossip.tls.CurrentLeaf;
import dev.weft.gossip.tls.Leaf;
import dev.weft.gossip.tls.TlsContexts;
import dev.weft.gossip.wire.Protocol;
import dev.weft.gossip.wire.proto.Frame;
import dev.weft.gossip.wire.proto.KnownPeers;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-peer mutual-TLS cluster, and callers with the right certificate, none, another CA's, an expired
 * one, and a right one whose hello claims another name. Only the first gets a hello back; the others learn
 * nothing (no frame at all), are counted, and the cluster carries on untouched.
 */
class CredentialsTest {

    @Test
    void onlyACurrentCertificateFromTheClusterCaGetsIn(@TempDir Path dir) throws Exception {
        TestCa ca = TestCa.in(dir.resolve("ca"), "cluster CA");
        TestCa other = TestCa.in(dir.resolve("other"), "another cluster's CA");
        try (TestCluster c = new TestCluster(ca.credentials(), TestCluster.testBounds()).startSeeds(3, 1)) {
            TestCluster.await("converged", Duration.ofSeconds(60), c::converged, c::describe);
            int port = c.drivers.get(0).port();
            Instant now = Instant.now();
            List<String> hosts = List.of("127.0.0.1");

            // The right certificate: the door opens (so the refusals below are the credentials' doing).
            Leaf good = Leaf.issue(ca.ca(), "visitor", hosts, now.minusSeconds(60), now.plusSeconds(3600));
            try (RawLink l = new RawLink("127.0.0.1", port, TlsContexts.client(new CurrentLeaf(good), new Counters()))) {
                l.send(hello("visitor"));
                TestCluster.await("a hello back", Duration.ofSeconds(10), () -> !l.received.isEmpty(), () -> "nothing");
                assertThat(l.received.get(0).hasHello()).isTrue();
            }
            long refusedBefore = c.drivers.get(0).transport().counters().getOrDefault("rejects.unauthenticated", 0L);

            // No certificate at all: through TLS, then turned away before the first frame is read.
            try (RawLink l = new RawLink("127.0.0.1", port, TlsContexts.anonymousClient(ca.ca().certificate(), new Counters()))) {
                l.send(hello("anonymous"));
                Status s = l.awaitEnd();
                assertThat(s.getCode()).as(s.toString()).isEqualTo(Status.Code.UNAUTHENTICATED);
                assertThat(l.received).isEmpty();
            }
            // Another CA's certificate: a caller that trusts only its own CA drops our server at once; one that
            // trusts ours (no secret) shows its certificate, and the server's handshake refuses it.
            Leaf foreign = Leaf.issue(other.ca(), "intruder", hosts, now.minusSeconds(60), now.plusSeconds(3600));
            assertRefused(port, foreign, Status.Code.UNAVAILABLE);
            assertRefused(port, new Leaf(foreign.certificate(), foreign.key(), ca.ca().certificate()), Status.Code.UNAVAILABLE);
            // An expired certificate from the right CA: the server's TLS handshake fails it.
            assertRefused(port, Leaf.issue(ca.ca(), "stale", hosts, now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1))),
                    Status.Code.UNAVAILABLE);
            // The right CA, but the hello claims a name the certificate was not issued to.
            try (RawLink l = new RawLink("127.0.0.1", port, TlsContexts.client(new CurrentLeaf(good), new Counters()))) {
                l.send(hello("peer-01"));
                l.awaitEnd();
                assertThat(l.received).hasSize(1);
                assertThat(l.received.get(0).getRefusal().getReason()).contains("certificate was issued to 'visitor'");
            }
            TestCluster.await("refusals counted", Duration.ofSeconds(10), () -> c.drivers.get(0).transport().counters()
                    .getOrDefault("rejects.unauthenticated", 0L) >= refusedBefore + 4, () -> c.drivers.get(0).transport().counters().toString());

            // A whole peer under another CA, told where the cluster is: it never links, and nobody hears of it.
            try (CoreDriver intruder = new CoreDriver("intruder", 666, CoreDriver.config(new Bootstrap.Observer()),
                    List.of(c.drivers.get(0).address()), other.credentials(), TestCluster.testBounds()).start(0)) {
                Thread.sleep(2_000);
                List<PeerId> reachable = intruder.read(p -> p.status().reachable());
                assertThat(reachable).isEmpty();
                assertThat(intruder.events).isEmpty();
                assertThat(intruder.transport().counters().getOrDefault("messages.in.digest", 0L)).isZero();
            }
            for (CoreDriver d : c.drivers) {
                assertThat(d.events).noneMatch(e -> e.contains("intruder") || e.contains("stale") || e.contains("visitor:"));
                assertThat(d.transport().lastHeard().keySet()).extracting(PeerId::name)
                        .doesNotContain("intruder", "stale");
            }
            TestCluster.await("still converged", Duration.ofSeconds(20), c::converged, c::describe);
            for (CoreDriver d : c.drivers) {
                assertThat(d.events).noneMatch(e -> e.startsWith("down:peer-")); // (the visitor left: it is down)
            }
        }
    }

    @Test
    void aLeafIsReissuedBeforeItExpiresSoNewLinksKeepWorking(@TempDir Path dir) throws Exception {
        TestCa ca = TestCa.in(dir.resolve("ca"), "cluster CA");
        Credentials shortLived = new Credentials.MutualTls(ca.cert(), ca.key(), Duration.ofSeconds(2));
        try (TestCluster c = new TestCluster(shortLived, TestCluster.testBounds()).startSeeds(2, 1)) {
            TestCluster.await("converged", Duration.ofSeconds(60), c::converged, c::describe);
            Thread.sleep(4_500); // past the first leaf's expiry
            assertThat(c.drivers.get(0).transport().counters().get("tls.leaf_reissued")).isGreaterThanOrEqualTo(2);
            Instant now = Instant.now();
            Leaf visitor = Leaf.issue(ca.ca(), "visitor", List.of("127.0.0.1"), now.minusSeconds(60), now.plusSeconds(600));
            try (RawLink l = new RawLink("127.0.0.1", c.drivers.get(0).port(), TlsContexts.client(new CurrentLeaf(visitor), new Counters()))) {
                l.send(hello("visitor"));
                TestCluster.await("a hello back", Duration.ofSeconds(10), () -> !l.received.isEmpty(), () -> "nothing");
                assertThat(l.received.get(0).hasHello()).isTrue();
            }
        }
    }

    private static void assertRefused(int port, Leaf leaf, Status.Code code) throws Exception {
        try (RawLink l = new RawLink("127.0.0.1", port, TlsContexts.client(new CurrentLeaf(leaf), new Counters()))) {
            l.send(hello(Leaf.peerName(leaf.certificate())));
            Status s = l.awaitEnd();
            assertThat(s.getCode()).as(s.toString()).isEqualTo(code);
            assertThat(l.received).isEmpty();
        }
    }

    private static Frame hello(String name) {
        return Frame.newBuilder().setHello(Handshake.hello(Protocol.CURRENT, new PeerId(name, 5), null,
                new HostPort("127.0.0.1", 9), KnownPeers.getDefaultInstance())).build();
    }
}
