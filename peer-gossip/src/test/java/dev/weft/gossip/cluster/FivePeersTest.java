package dev.weft.gossip.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Range;
import dev.weft.core.node.Input;
import dev.weft.core.peer.PeerId;
import java.util.List;
import java.util.Set;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Five real cores over real gRPC with mutual TLS on 127.0.0.1: bootstrap, converge, and hand space over. */
class FivePeersTest {

    @Test
    void bootstrapBySeedListConvergeAndGrantSpaceOverTheWire(@TempDir Path dir) throws Exception {
        TestCa ca = TestCa.in(dir.resolve("ca"), "test CA");
        try (TestCluster c = new TestCluster(ca.credentials(), TestCluster.testBounds()).startSeeds(5, 1)) {
            TestCluster.await("converged", Duration.ofSeconds(60), c::converged, c::describe);
            for (CoreDriver d : c.drivers) {
                Set<PeerId> owners = d.read(p -> p.ring().owners());
                assertThat(owners).hasSize(5);
                // A peer may get the ring by gossip before its probe of every other peer has finished.
                TestCluster.await(d.id + " reaches all four others", Duration.ofSeconds(20),
                        () -> d.<Integer>read(p -> p.status().reachable().size()) == 4, c::describe);
            }

            // An observer owns nothing: its first allocation needs space granted by a peer, over the wire.
            CoreDriver observer = c.addObserver("observer", 77);
            TestCluster.await("observer has the ring", Duration.ofSeconds(30),
                    () -> observer.read(p -> p.ring() != null), c::describe);
            List<Range> ownedAtFirst = observer.read(p -> p.ring().rangesOwnedBy(p.self()));
            assertThat(ownedAtFirst).isEmpty();
            long grantsBefore = c.sum("messages.in.space_grant");
            Result r = null;
            for (int attempt = 0; attempt < 50; attempt++) {
                r = observer.submit(id -> new Input.Allocate(id, new Attachment("pod-1", "eth0"), null)).get(30, TimeUnit.SECONDS);
                if (r instanceof Result.Assigned) {
                    break;
                }
                Thread.sleep(200); // "try again later" while the ask is in flight, as the CNI runtime would retry
            }
            assertThat(r).isInstanceOf(Result.Assigned.class);
            long address = ((Result.Assigned) r).address();
            PeerId owner = observer.read(p -> p.ring().ownerOf(address));
            assertThat(owner).isEqualTo(observer.id);
            // The donor's ring delta may reach the observer before its grant does: wait for the grant itself.
            TestCluster.await("the grant arrived over the wire", Duration.ofSeconds(10),
                    () -> c.sum("messages.in.space_grant") > grantsBefore, c::describe);
            assertThat(c.sum("messages.in.space_request")).isPositive();
            TestCluster.await("converged after the grant", Duration.ofSeconds(30), c::converged, c::describe);
            assertThat(c.sum("rejects.unauthenticated")).isZero();
        }
    }
}
