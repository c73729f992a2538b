package dev.weft.daemon.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.core.peer.PeerId;
import dev.weft.daemon.Daemon;
import dev.weft.daemon.api.RemovalGrace;
import dev.weft.daemon.support.Prerequisites;
import dev.weft.daemon.support.TestDaemons;
import dev.weft.daemon.support.ThreePeers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reclaim coordinator with real daemons (gossip, event loop, RocksDB) and fabric8's CRUD mock: one
 * Lease holder at a time, a live peer never removed, a dead one removed once, also across a change of
 * coordinator. The removal grace is crossed by moving the coordinators' wall clock, not by waiting.
 */
class ReclaimCoordinatorTest {
    private static final ReclaimCoordinator.LeaseTiming FAST = new ReclaimCoordinator.LeaseTiming(
            Duration.ofMillis(4_000), Duration.ofMillis(3_000), Duration.ofMillis(250));
    private static final long HOUR = 3_600_000;

    private static KubeSettings kube(String node) {
        return new KubeSettings(node, "weft", "weft-founding", "weft-reclaim", Duration.ofSeconds(120));
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not within 30 s: " + what);
            }
            Thread.sleep(50);
        }
    }

    /** A pass made while the Lease names the coordinator (a loaded machine can delay its renewals). */
    private static ReclaimCoordinator.Outcome actingPass(ReclaimCoordinator c) throws InterruptedException {
        long until = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < until) {
            await(c::holdsLease, "the Lease names the coordinator");
            ReclaimCoordinator.Outcome o = c.pass();
            if (o.acted()) {
                return o;
            }
        }
        throw new AssertionError("no acting pass within 30 s");
    }

    @Test
    void oneCoordinatorAtATime(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (MockApi api = new MockApi(); Daemon solo = TestDaemons.start(TestDaemons.lone(dir, "10.40.0.0/24"))) {
            api.client().nodes().resource(MockApi.node("solo", "127.0.0.1")).create();
            List<ReclaimCoordinator> all = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    ReclaimCoordinator c = new ReclaimCoordinator(api.client(), kube("n" + i), new PeerId("n" + i, i + 1),
                            solo.core(), solo::lastHeard, System::currentTimeMillis, FAST, RemovalGrace.STANDARD, 0);
                    all.add(c);
                    c.start(HOUR);
                }
                await(() -> all.stream().anyMatch(c -> c.leading() && c.holdsLease()), "a coordinator");
                // Only a coordinator the Lease names acts; at any moment the Lease names at most one.
                for (int i = 0; i < 20; i++) {
                    assertThat(all.stream().filter(ReclaimCoordinator::holdsLease).count()).isLessThanOrEqualTo(1);
                    Thread.sleep(100);
                }
                ReclaimCoordinator first = all.stream().filter(ReclaimCoordinator::holdsLease).findFirst()
                        .orElseThrow();
                assertThat(first.leading()).isTrue();
                String holder = api.client().leases().inNamespace("weft").withName("weft-reclaim").get().getSpec()
                        .getHolderIdentity();
                assertThat(holder).isEqualTo(new PeerId("n" + all.indexOf(first), all.indexOf(first) + 1).toString());
                assertThat(actingPass(first).acted()).isTrue();

                // Its Lease taken by another (as after a stall it did not notice): it stops acting at once.
                takeLease(api, "someone-else");
                assertThat(first.pass().acted()).isFalse();

                first.close();
                all.remove(first);
                await(() -> all.stream().anyMatch(c -> c.leading() && c.holdsLease()), "the next coordinator");
                assertThat(all.stream().filter(ReclaimCoordinator::holdsLease).count()).isEqualTo(1);
                assertThat(first.leading()).isFalse();
            } finally {
                all.forEach(ReclaimCoordinator::close);
            }
        }
    }

    /**
     * Writes another holder into the Lease. The coordinators renew it meanwhile, so the API server may answer
     * 409 (the object changed since it was read): read it again and retry, as any client of a Lease must.
     */
    private static void takeLease(MockApi api, String holder) {
        for (int attempt = 1; ; attempt++) {
            try {
                api.client().leases().inNamespace("weft").withName("weft-reclaim").edit(l -> {
                    l.getSpec().setHolderIdentity(holder);
                    l.getSpec().setRenewTime(java.time.ZonedDateTime.now());
                    return l;
                });
                return;
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 20) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aDeletedNodesPeerIsRemovedOnceAndNeverWhileHeardFrom(@TempDir Path dir) throws Exception {
        Prerequisites.epoll();
        try (MockApi api = new MockApi(); ThreePeers cluster = new ThreePeers(dir, "10.93.0.0/24")) {
            for (String n : ThreePeers.NAMES) {
                api.client().nodes().resource(MockApi.node(n, null)).create();
            }
            Daemon a = cluster.get(0);
            Daemon b = cluster.get(1);
            PeerId c = cluster.get(2).core().read(p -> p.self()).join();
            PeerId aId = a.core().read(p -> p.self()).join();
            PeerId bId = b.core().read(p -> p.self()).join();
            AtomicLong offset = new AtomicLong();
            ReclaimCoordinator onA = new ReclaimCoordinator(api.client(), kube("a"), aId, a.core(), a::lastHeard,
                    () -> System.currentTimeMillis() + offset.get(), FAST, RemovalGrace.STANDARD, 0);
            ReclaimCoordinator onB = null;
            try {
                onA.start(HOUR);
                await(onA::leading, "a holds the Lease");

                // Node c is deleted while its daemon runs: it is heard from, so it stays.
                api.client().nodes().withName("c").delete();
                var live = actingPass(onA);
                assertThat(live.acted()).isTrue();
                assertThat(live.removed()).isEmpty();
                assertThat(live.waiting()).containsKey(c);

                // Its daemon stops; within the grace nothing happens, after it c is removed, once.
                cluster.get(2).close();
                await(() -> !a.core().read(p -> p.status().reachable().contains(c)).join(), "a sees c down");
                assertThat(actingPass(onA).removed()).isEmpty();
                offset.set(RemovalGrace.STANDARD.millis() + 1_000);
                actingPass(onA);
                assertThat(onA.removedSoFar()).containsExactly(c);
                assertThat(a.core().read(p -> p.ring().isTombstoned(c)).join()).isTrue();
                assertThat(actingPass(onA).removed()).isEmpty();
                assertThat(onA.removedSoFar()).containsExactly(c);

                // A new coordinator, once its ring has what the last one did, does nothing more.
                onA.close();
                ReclaimCoordinator next = new ReclaimCoordinator(api.client(), kube("b"), bId, b.core(), b::lastHeard,
                        () -> System.currentTimeMillis() + offset.get(), FAST, RemovalGrace.STANDARD, 0);
                onB = next;
                next.start(HOUR);
                await(next::leading, "b holds the Lease");
                await(() -> b.core().read(p -> p.ring().isTombstoned(c)).join(), "b's ring has c's tombstone");
                assertThat(actingPass(next).removed()).isEmpty();
                assertThat(next.removedSoFar()).isEmpty();
                assertThat(a.core().read(p -> p.ring().owners().contains(c)).join()).isFalse();
            } finally {
                onA.close();
                if (onB != null) {
                    onB.close();
                }
            }
        }
    }
}
