package dev.weft.daemon.kube;

import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.daemon.api.RemovalGrace;
import dev.weft.daemon.loop.CoreGateway;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the peers of deleted Node objects, from one daemon at a time: the holder of the reclaim Lease
 * (fabric8's leader election). Each pass, from a fresh list of nodes and the ring as this peer has it,
 * {@link ReclaimPlan} picks the installs to remove; each goes to the core as {@code RemovePeer(name#uid)}
 * without force, so the core's own cool-down and hand-over rules apply. A new holder first waits out
 * {@code settle} (the removal grace, by default) so that what it has heard and its ring (with the tombstones
 * of removals its predecessor made) are current before it acts.
 */
public final class ReclaimCoordinator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReclaimCoordinator.class);
    private static final long AFTER_EVENT_MILLIS = 1_000;

    /** fabric8's election timings: a holder that cannot renew within renewDeadline stops acting. */
    public record LeaseTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {
        public static LeaseTiming standard() {
            return new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));
        }
    }

    /** What one pass did, for logs and tests. */
    public record Outcome(boolean acted, List<PeerId> removed, Map<PeerId, String> waiting) {
        static Outcome idle() {
            return new Outcome(false, List.of(), Map.of());
        }
    }

    private final KubernetesClient client;
    private final KubeSettings kube;
    private final PeerId self;
    private final String identity;
    private final List<PeerId> removedSoFar = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final CoreGateway core;
    private final Supplier<Map<PeerId, Long>> lastHeard;
    private final LongSupplier wallClock;
    private final LeaseTiming timing;
    private final RemovalGrace grace;
    private final long settleMillis;
    private volatile long leadingSince = -1;
    private ScheduledExecutorService timer;
    private CompletableFuture<?> election;
    private Watch watch;

    /**
     * @param identity this install (name#uid): the Lease's holder identity
     * @param lastHeard when each install was last heard from, as the transport knows
     * @param wallClock milliseconds since the epoch (lastHeard's clock)
     * @param grace how long an install must have been silent before it is removed
     * @param settleMillis how long a new holder waits before its first removal
     */
    public ReclaimCoordinator(KubernetesClient client, KubeSettings kube, PeerId identity, CoreGateway core,
            Supplier<Map<PeerId, Long>> lastHeard, LongSupplier wallClock, LeaseTiming timing, RemovalGrace grace,
            long settleMillis) {
        this.client = client;
        this.kube = kube;
        this.self = identity;
        this.identity = identity.toString();
        this.core = core;
        this.lastHeard = lastHeard;
        this.wallClock = wallClock;
        this.timing = timing;
        this.grace = grace;
        this.settleMillis = settleMillis;
    }

    /** Runs for the Lease, passes every {@code periodMillis} while holding it, and soon after a node is deleted. */
    public void start(long periodMillis) {
        timer = Background.timer("weft-kube-reclaim");
        var config = new LeaderElectionConfigBuilder().withName(kube.reclaimLease())
                .withLock(new LeaseLock(kube.namespace(), kube.reclaimLease(), identity))
                .withLeaseDuration(timing.leaseDuration()).withRenewDeadline(timing.renewDeadline())
                .withRetryPeriod(timing.retryPeriod()).withReleaseOnCancel(true)
                .withLeaderCallbacks(new LeaderCallbacks(this::startedLeading, this::stoppedLeading,
                        holder -> LOG.info("reclaim coordinator is now {}", holder == null ? "nobody" : holder)))
                .build();
        election = client.leaderElector().withConfig(config).build().start();
        timer.scheduleWithFixedDelay(this::passQuietly, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        try {
            watch = client.nodes().watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Node node) {
                    if (action == Action.DELETED && leading()) {
                        schedulePass();
                    }
                }

                @Override
                public void onClose(WatcherException cause) {
                    LOG.info("the watch of nodes closed ({}); reclaiming on the timer", cause.getMessage());
                }
            });
        } catch (KubernetesClientException e) {
            LOG.warn("cannot watch nodes ({}); reclaiming on the timer only", e.getMessage());
        }
    }

    private void startedLeading() {
        leadingSince = wallClock.getAsLong();
        LOG.info("this install holds Lease {}/{}: it removes the peers of deleted nodes, starting in {} s",
                kube.namespace(), kube.reclaimLease(), settleMillis / 1000);
        schedulePass();
    }

    private void stoppedLeading() {
        leadingSince = -1;
        LOG.info("this install no longer holds Lease {}/{}", kube.namespace(), kube.reclaimLease());
    }

    /**
     * Whether the Lease, read afresh, names this install and was renewed within the renew deadline. The
     * elector's own belief can lag behind (a starved thread keeps thinking it leads after its Lease ran
     * out and another took it): a removal goes ahead only when the API server agrees.
     */
    public boolean holdsLease() {
        try {
            Lease l = client.leases().inNamespace(kube.namespace()).withName(kube.reclaimLease()).get();
            if (l == null || l.getSpec() == null || !identity.equals(l.getSpec().getHolderIdentity())
                    || l.getSpec().getRenewTime() == null) {
                return false;
            }
            Duration age = Duration.between(l.getSpec().getRenewTime().toInstant(), Instant.now());
            return age.compareTo(timing.renewDeadline()) < 0;
        } catch (KubernetesClientException e) {
            LOG.warn("cannot read Lease {}/{} ({}): removing no peer now", kube.namespace(), kube.reclaimLease(),
                    e.getMessage());
            return false;
        }
    }

    /** Every install this coordinator removed since it started, in order. */
    public List<PeerId> removedSoFar() {
        return List.copyOf(removedSoFar);
    }

    /** Whether this install holds the Lease now. */
    public boolean leading() {
        return leadingSince >= 0;
    }

    private void schedulePass() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            return;
        }
        try {
            t.schedule(this::passQuietly, AFTER_EVENT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warn("reclaim pass failed: {}", e.toString());
        }
    }

    /** One pass; does nothing unless this install holds the Lease and has held it for the settle time. */
    public synchronized Outcome pass() {
        long since = leadingSince;
        long now = wallClock.getAsLong();
        if (since < 0 || now - since < settleMillis || !holdsLease()) {
            return Outcome.idle();
        }
        Set<String> nodes = new HashSet<>();
        try {
            for (Node n : client.nodes().list().getItems()) {
                if (n.getMetadata() != null && n.getMetadata().getName() != null) {
                    nodes.add(n.getMetadata().getName());
                }
            }
        } catch (KubernetesClientException e) {
            LOG.warn("cannot list nodes ({}): removing no peer until the API server answers", e.getMessage());
            return Outcome.idle();
        }
        RingInstalls ring = Background.await(core.read(p -> RingInstalls.of(p.ring())));
        ReclaimPlan.Decision d = ReclaimPlan.decide(self, ring.owners(), ring.tombstoned(), nodes, lastHeard.get(), now,
                grace);
        d.waiting().forEach((p, why) -> LOG.info("node of {} is deleted, but not removing it yet: {}", p, why));
        List<PeerId> removed = new ArrayList<>();
        for (PeerId p : d.remove()) {
            if (!leading() || !holdsLease()) {
                break; // lost the Lease mid-pass: the next holder decides from its own ring
            }
            Result r = Background.await(core.submit(id -> new Input.RemovePeer(id, p.toString(), false)));
            if (r instanceof Result.Done done) {
                removed.add(p);
                removedSoFar.add(p);
                LOG.info("removed {} (its Node object is deleted): {}", p, done.message());
            } else {
                LOG.warn("removing {} (its Node object is deleted) was refused, retrying later: {}", p, r);
            }
        }
        return new Outcome(true, removed, d.waiting());
    }

    /** The ring's owners and tombstones, copied on the loop thread. */
    private record RingInstalls(Set<PeerId> owners, Set<PeerId> tombstoned) {
        static RingInstalls of(Ring ring) {
            if (ring == null) {
                return new RingInstalls(Set.of(), Set.of());
            }
            return new RingInstalls(new TreeSet<>(ring.owners()), new TreeSet<>(ring.tombstones()));
        }
    }


    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        if (election != null) {
            election.cancel(true); // releases the Lease (releaseOnCancel) so another daemon takes over at once
        }
        Background.stop(timer);
        leadingSince = -1;
    }
}
