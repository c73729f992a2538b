package dev.weft.gossip.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.gossip.Credentials;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An operator's removal of a dead peer over real gRPC: the takeover must reach every live peer at once (each
 * must stop counting the dead install's ranges as its own and hand over what it holds there), and it goes as
 * deltas, never as whole rings to peers that have one (issue 7).
 */
class OperatorRemovalTest {

    private static long downs(CoreDriver d, String name) {
        return d.events.stream().filter(("down:" + name)::equals).count();
    }

    private static long wholeRings(List<CoreDriver> ds) {
        return ds.stream().mapToLong(d -> d.wholeRingsSent.get()).sum();
    }

    @Test
    void aRemovalReachesEveryLivePeerAsDeltasNotWholeRings() throws Exception {
        try (TestCluster c = new TestCluster(new Credentials.Plaintext(), TestCluster.testBounds()).startSeeds(5, 1)) {
            TestCluster.await("converged", Duration.ofSeconds(60), c::converged, c::describe);
            for (CoreDriver d : c.drivers) {
                TestCluster.await(d.id + " reaches all four others", Duration.ofSeconds(20),
                        () -> d.<Integer>read(p -> p.status().reachable().size()) == 4, c::describe);
            }
            CoreDriver dead = c.drivers.get(4);
            List<CoreDriver> live = c.drivers.subList(0, 4);
            assertThat(live.get(1).<Integer>read(p -> p.ring().rangesOwnedBy(dead.id).size())).isPositive();

            dead.cut();
            TestCluster.await("every live peer sees it down", Duration.ofSeconds(20),
                    () -> live.stream().allMatch(d -> downs(d, dead.id.name()) == 1), c::describe);
            long wholeBefore = wholeRings(live);
            Result r = live.get(0).submit(id -> new Input.RemovePeer(id, dead.id.toString(), false))
                    .get(10, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Result.Done.class);

            TestCluster.await("every live peer heard of the takeover", Duration.ofSeconds(20),
                    () -> live.stream().allMatch(d -> d.<Boolean>read(p -> p.ring().isTombstoned(dead.id)
                            && p.ring().rangesOwnedBy(dead.id).isEmpty())), c::describe);
            TestCluster.await("the live peers agree", Duration.ofSeconds(20), () -> TestCluster.converged(live),
                    c::describe);
            assertThat(wholeRings(live) - wholeBefore).as("whole rings sent for the removal").isZero();
            assertThat(c.sum("rejects.unauthenticated")).isZero();
        }
    }
}
