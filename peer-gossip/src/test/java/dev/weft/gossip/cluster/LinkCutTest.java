package dev.weft.gossip.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import dev.weft.gossip.Bounds;
import dev.weft.gossip.Credentials;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Links cut and restored, and links closed for being idle or over the pool bound: what peers see of each. */
class LinkCutTest {

    private static long digest(CoreDriver d) {
        return d.<Long>read(p -> p.ring().digest());
    }

    private static long count(CoreDriver d, String event) {
        return d.events.stream().filter(event::equals).count();
    }

    @Test
    void aPeerWhoseServerStopsGoesDownAndComesBackAndCatchesUp() throws Exception {
        try (TestCluster c = new TestCluster(new Credentials.Plaintext(), TestCluster.testBounds()).startSeeds(3, 1)) {
            TestCluster.await("converged", Duration.ofSeconds(60), c::converged, c::describe);
            CoreDriver a = c.drivers.get(0);
            CoreDriver b = c.drivers.get(1);
            CoreDriver cut = c.drivers.get(2);
            // Converged rings do not mean every pair has linked (a ring can arrive through the third peer):
            // both others must have had a link up to it before its going down can be seen.
            TestCluster.await("both others linked to it", Duration.ofSeconds(30),
                    () -> count(a, "up:peer-02") == 1 && count(b, "up:peer-02") == 1, () -> a.events + " " + b.events);

            cut.cut();
            TestCluster.await("the others see it down", Duration.ofSeconds(20),
                    () -> count(a, "down:peer-02") == 1 && count(b, "down:peer-02") == 1, () -> a.events + " " + b.events);

            // The ring changes while it is away: an allocation's free count is reported within a second or so.
            long before = digest(a);
            Result r = a.submit(id -> new Input.Allocate(id, new Attachment("while-cut", "eth0"), null)).get(10, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Result.Assigned.class);
            TestCluster.await("the change spreads among the two, and the cut-off peer is behind", Duration.ofSeconds(20),
                    () -> digest(a) != before && TestCluster.converged(List.of(a, b)) && digest(cut) != digest(a),
                    c::describe);

            cut.restore();
            TestCluster.await("redialled and up again", Duration.ofSeconds(30),
                    () -> count(a, "up:peer-02") == 2 && count(b, "up:peer-02") == 2, () -> a.events + " " + b.events);
            TestCluster.await("reconverged", Duration.ofSeconds(30), c::converged, c::describe);
            assertThat(digest(cut)).isEqualTo(digest(a)).isNotEqualTo(before);
            assertThat(a.transport().counters().get("redials")).isPositive();
        }
    }

    @Test
    void idleAndEvictedLinksCloseWithoutAnyPeerGoingDown() throws Exception {
        Bounds t = TestCluster.testBounds();
        Bounds tight = new Bounds(t.maxFrameBytes(), 2, Duration.ofMillis(300), t.keepalive(), t.backoffBase(), t.backoffMax(),
                t.sendQueue(), t.membershipInterval());
        try (TestCluster c = new TestCluster(new Credentials.Plaintext(), tight).startSeeds(5, 1)) {
            TestCluster.await("converged", Duration.ofSeconds(60), c::converged, c::describe);
            Thread.sleep(1_000);
            CoreDriver a = c.drivers.get(0);
            long before = digest(a);
            Result r = a.submit(id -> new Input.Allocate(id, new Attachment("pod", "eth0"), null)).get(10, TimeUnit.SECONDS);
            assertThat(r).isInstanceOf(Result.Assigned.class);
            TestCluster.await("the change spreads over links opened on demand", Duration.ofSeconds(30),
                    () -> digest(a) != before && c.converged(), c::describe);

            assertThat(c.sum("links.idle_closed") + c.sum("links.evicted")).isPositive();
            for (CoreDriver d : c.drivers) {
                TestCluster.await(d.id + " reaches all four others", Duration.ofSeconds(20),
                        () -> d.<Integer>read(p -> p.status().reachable().size()) == 4, c::describe);
                assertThat(d.events).noneMatch(e -> e.startsWith("down:"));
            }
        }
    }
}
