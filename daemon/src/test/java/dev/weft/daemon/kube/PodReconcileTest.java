package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.space.Attachment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PodReconcileTest {
    private static final Cidr SPACE = Cidr.parse("10.32.0.0/12");
    private static final long GRACE = 120_000;

    private static PodState running(String name, String uid, String... ips) {
        List<Long> a = new ArrayList<>();
        for (String ip : ips) {
            a.add(IPv4.parse(ip));
        }
        return new PodState("default", name, uid, false, false, false, true, false, a);
    }

    private static PodState terminated(String name, String uid) {
        return new PodState("default", name, uid, false, false, true, false, false, List.of());
    }

    private static HoldState hold(String container, String ip, String pod, String uid) {
        return new HoldState(new Attachment(container, "eth0"), IPv4.parse(ip), pod == null ? null : "default", pod,
                uid);
    }

    private static Set<Long> covered(HoldState... holds) {
        Set<Long> s = new HashSet<>();
        for (HoldState h : holds) {
            s.add(h.address());
        }
        return s;
    }

    @Test
    void aGonePodsHoldIsReleasedOnlyAfterTheGraceWithoutABreak() {
        PodReconcile r = new PodReconcile(SPACE, GRACE);
        HoldState h = hold("c1", "10.32.0.5", "web", "u1");
        assertThat(r.pass(0, List.of(h), covered(h), List.of()).release()).isEmpty();
        assertThat(r.pass(GRACE - 1, List.of(h), covered(h), List.of()).release()).isEmpty();
        assertThat(r.pass(GRACE, List.of(h), covered(h), List.of()).release()).containsExactly(h);
    }

    @Test
    void aPodSeenAgainRestartsTheCount() {
        PodReconcile r = new PodReconcile(SPACE, GRACE);
        HoldState h = hold("c1", "10.32.0.5", "web", "u1");
        r.pass(0, List.of(h), covered(h), List.of());
        r.pass(60_000, List.of(h), covered(h), List.of(running("web", "u1", "10.32.0.5")));
        assertThat(r.pass(GRACE, List.of(h), covered(h), List.of()).release()).isEmpty();
        assertThat(r.pass(60_000 + GRACE, List.of(h), covered(h), List.of()).release()).isEmpty();
        assertThat(r.pass(GRACE + GRACE, List.of(h), covered(h), List.of()).release()).containsExactly(h);
    }

    @Test
    void terminatedOrReplacedPodsCountAsGoneAndStaticPodsMatchByName() {
        PodReconcile r = new PodReconcile(SPACE, GRACE);
        HoldState done = hold("c1", "10.32.0.5", "job", "u1");
        HoldState replaced = hold("c2", "10.32.0.6", "db-0", "old");
        HoldState mirrored = hold("c3", "10.32.0.7", "etcd", "kubelet-uid");
        HoldState noUid = hold("c4", "10.32.0.8", "api", null);
        List<HoldState> holds = List.of(done, replaced, mirrored, noUid);
        PodState mirror = new PodState("default", "etcd", "mirror-uid", true, false, false, true, false, List.of());
        List<PodState> pods = List.of(terminated("job", "u1"), running("db-0", "new", "10.32.0.9"), mirror,
                running("api", "x"));
        r.pass(0, holds, covered(done, replaced, mirrored, noUid), pods);
        assertThat(r.pass(GRACE, holds, covered(done, replaced, mirrored, noUid), pods).release())
                .containsExactlyInAnyOrder(done, replaced);
    }

    @Test
    void holdsWithoutAKnownPodAreNeverReleased() {
        PodReconcile r = new PodReconcile(SPACE, GRACE);
        HoldState h = hold("c1", "10.32.0.5", null, null);
        r.pass(0, List.of(h), covered(h), List.of());
        assertThat(r.pass(10 * GRACE, List.of(h), covered(h), List.of()).release()).isEmpty();
        assertThat(r.missing()).isZero();
    }

    @Test
    void aRunningPodsUnheldAddressInTheSpaceIsClaimed() {
        PodReconcile r = new PodReconcile(SPACE, GRACE);
        HoldState mine = hold("c1", "10.32.0.5", "web", "u1");
        PodState weave = running("weave-app", "w1", "10.32.7.7");
        PodState elsewhere = running("other", "o1", "192.168.1.4");
        PodState host = new PodState("default", "host", "h1", false, true, false, true, false,
                List.of(IPv4.parse("10.32.9.9")));
        PodState leaving = new PodState("default", "bye", "b1", false, false, false, true, true,
                List.of(IPv4.parse("10.32.9.8")));
        var plan = r.pass(0, List.of(mine), covered(mine),
                List.of(running("web", "u1", "10.32.0.5"), weave, elsewhere, host, leaving));
        assertThat(plan.claim()).singleElement().satisfies(c -> {
            assertThat(c.address()).isEqualTo(IPv4.parse("10.32.7.7"));
            assertThat(c.attachment()).isEqualTo(HoldState.claimOf("w1", "10.32.7.7"));
            assertThat(c.attachment().containerId()).contains(":");
        });
        assertThat(plan.release()).isEmpty();
    }

    @Test
    void weftsOwnClaimIsReleasedWhenItsPodOrItsAddressIsGone() {
        PodReconcile r = new PodReconcile(SPACE, GRACE);
        Attachment a = HoldState.claimOf("w1", "10.32.7.7");
        HoldState claim = new HoldState(a, IPv4.parse("10.32.7.7"), null, null, null);
        List<PodState> same = List.of(running("weave-app", "w1", "10.32.7.7"));
        r.pass(0, List.of(claim), covered(claim), same);
        assertThat(r.pass(GRACE, List.of(claim), covered(claim), same).release()).isEmpty();
        List<PodState> moved = List.of(running("weave-app", "w1", "10.32.0.40"));
        r.pass(GRACE, List.of(claim), covered(claim), moved);
        assertThat(r.pass(2 * GRACE, List.of(claim), covered(claim), moved).release()).containsExactly(claim);
    }

    /** Whatever the order of lists, a hold is released only if every list in the last grace period missed it. */
    @Test
    void neverReleasesAHoldWhosePodWasListedWithinTheGrace() {
        for (int seed = 1; seed <= 200; seed++) {
            Random rnd = new Random(seed);
            PodReconcile r = new PodReconcile(SPACE, GRACE);
            HoldState h = hold("c1", "10.32.0.5", "web", "u1");
            long now = 0;
            long lastSeen = Long.MIN_VALUE / 2;
            boolean firstMissAfterSeen = true;
            long missingFrom = 0;
            for (int step = 0; step < 60; step++) {
                now += rnd.nextInt(40_000);
                boolean present = rnd.nextInt(4) == 0;
                List<PodState> pods = present ? List.of(running("web", "u1", "10.32.0.5")) : List.of();
                var plan = r.pass(now, List.of(h), covered(h), pods);
                if (present) {
                    lastSeen = now;
                    firstMissAfterSeen = true;
                } else if (firstMissAfterSeen) {
                    missingFrom = now;
                    firstMissAfterSeen = false;
                }
                boolean expected = !present && now - missingFrom >= GRACE;
                assertThat(plan.release().contains(h)).as("seed %d step %d", seed, step).isEqualTo(expected);
                if (expected) {
                    assertThat(now - lastSeen).isGreaterThan(GRACE);
                    r.released(h.attachment());
                    firstMissAfterSeen = true;
                }
            }
        }
    }
}
