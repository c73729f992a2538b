package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import dev.weft.daemon.api.RemovalGrace;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReclaimPlanTest {
    private static final PeerId A = new PeerId("node-a", 1);
    private static final PeerId B = new PeerId("node-b", 2);
    private static final PeerId C = new PeerId("node-c", 3);
    private static final PeerId C_OLD = new PeerId("node-c", 4);
    private static final long NOW = 1_000_000_000L;
    private static final RemovalGrace GRACE = RemovalGrace.STANDARD;

    @Test
    void removesTheInstallsOfDeletedNodesOnce() {
        var d = ReclaimPlan.decide(A, List.of(A, B, C, C_OLD), Set.of(C_OLD), Set.of("node-a", "node-b"), Map.of(), NOW,
                GRACE);
        assertThat(d.remove()).containsExactly(C);
        assertThat(d.waiting()).isEmpty();
    }

    @Test
    void neverAPeerHeardFromWithinTheGrace() {
        var heard = Map.of(C, NOW - GRACE.millis() + 1);
        var d = ReclaimPlan.decide(A, List.of(A, C), Set.of(), Set.of("node-a"), heard, NOW, GRACE);
        assertThat(d.remove()).isEmpty();
        assertThat(d.waiting()).containsOnlyKeys(C);
        assertThat(d.waiting().get(C)).contains("heard from");
        var later = ReclaimPlan.decide(A, List.of(A, C), Set.of(), Set.of("node-a"), heard,
                NOW + GRACE.millis(), GRACE);
        assertThat(later.remove()).containsExactly(C);
    }

    @Test
    void neverItself() {
        var d = ReclaimPlan.decide(A, List.of(A, B), Set.of(), Set.of(), Map.of(), NOW, GRACE);
        assertThat(d.remove()).containsExactly(B);
    }

    @Test
    void nothingWhileEveryNodeExists() {
        var d = ReclaimPlan.decide(A, List.of(A, B), Set.of(), Set.of("node-a", "node-b", "node-x"), Map.of(), NOW,
                GRACE);
        assertThat(d.remove()).isEmpty();
    }
}
