package dev.weft.daemon.kube;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.node.Input;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Record;
import dev.weft.core.node.Result;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.daemon.cni.CniFrontEnd;
import dev.weft.daemon.cni.Note;
import dev.weft.daemon.loop.CoreGateway;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's holds in step with its pods: lists the pods of {@code spec.nodeName} = this node, reads
 * the holds from the core, lets {@link PodReconcile} decide, and releases and claims through the core.
 * Passes run on a timer and soon after a watch reports a change; each decides from its own fresh list, never
 * from the watch. When the list cannot be had, the pass does nothing at all.
 */
public final class PodReconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodReconciler.class);
    /** A pass soon after a watch event, gathering the burst a rollout makes. */
    private static final long AFTER_EVENT_MILLIS = 2_000;

    /** What one pass did, for logs and tests. */
    public record Outcome(boolean listed, List<Hold> released, List<Hold> claimed, List<String> refused) {}

    private final KubernetesClient client;
    private final String node;
    private final CoreGateway core;
    private final Function<Attachment, Optional<Note>> notes;
    private final Consumer<Note> forget;
    private final PodReconcile decide;
    private final LongSupplier clock;
    private ScheduledExecutorService timer;
    private Watch watch;

    /**
     * @param notes the CNI note of an attachment (its pod), empty when none
     * @param forget drops the note of an attachment released here (as a CNI DEL would)
     * @param clock milliseconds, monotonic
     */
    public PodReconciler(KubernetesClient client, String node, CoreGateway core, Cidr universe, long graceMillis,
            Function<Attachment, Optional<Note>> notes, Consumer<Note> forget, LongSupplier clock) {
        this.client = client;
        this.node = node;
        this.core = core;
        this.notes = notes;
        this.forget = forget;
        this.decide = new PodReconcile(universe, graceMillis);
        this.clock = clock;
    }

    /** Passes every {@code periodMillis}, and shortly after the watch sees a pod of this node change. */
    public void start(long periodMillis) {
        timer = Background.timer("weft-kube-pods");
        timer.scheduleWithFixedDelay(this::passQuietly, 0, periodMillis, TimeUnit.MILLISECONDS);
        watch();
    }

    private void watch() {
        try {
            watch = client.pods().inAnyNamespace().withField("spec.nodeName", node).watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Pod pod) {
                    schedulePass();
                }

                @Override
                public void onClose(WatcherException cause) {
                    // Passes go on by the timer; a closed watch is no evidence about any pod.
                    LOG.info("the watch of node {}'s pods closed ({}); reconciling on the timer", node,
                            cause.getMessage());
                }
            });
        } catch (KubernetesClientException e) {
            LOG.warn("cannot watch node {}'s pods ({}); reconciling on the timer only", node, e.getMessage());
        }
    }

    private void schedulePass() {
        ScheduledExecutorService t = timer;
        if (t != null && !t.isShutdown()) {
            try {
                t.schedule(this::passQuietly, AFTER_EVENT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void passQuietly() {
        try {
            pass();
        } catch (RuntimeException e) {
            LOG.warn("reconciling node {}'s pods failed: {}", node, e.toString());
        }
    }

    /** One pass: list, read, decide, act. Returns what it did; does nothing when the list fails. */
    public synchronized Outcome pass() {
        List<Pod> listed;
        long now = clock.getAsLong();
        try {
            listed = client.pods().inAnyNamespace().withField("spec.nodeName", node).list().getItems();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot list node {}'s pods ({}): releasing and claiming nothing until the API server answers",
                    node, e.getMessage());
            return new Outcome(false, List.of(), List.of(), List.of());
        }
        List<PodState> pods = new ArrayList<>();
        for (Pod p : listed) {
            PodState s = PodState.of(p);
            if (s != null) {
                pods.add(s);
            }
        }
        Holdings h = Background.await(core.read(PodReconciler::holdings));
        List<HoldState> holds = new ArrayList<>();
        for (Hold hold : h.own()) {
            Attachment a = hold.attachment();
            Note n = notes.apply(a).orElse(null);
            holds.add(new HoldState(a, hold.address(), n == null ? null : n.podNamespace(),
                    n == null ? null : n.podName(), n == null ? null : n.podUid()));
        }
        PodReconcile.Plan plan = decide.pass(now, holds, h.covered(), pods);
        List<Hold> released = new ArrayList<>();
        List<Hold> claimed = new ArrayList<>();
        List<String> refused = new ArrayList<>();
        for (HoldState r : plan.release()) {
            Result res = Background.await(core.submit(id -> new Input.Release(id, r.attachment())));
            decide.released(r.attachment());
            notes.apply(r.attachment()).ifPresent(forget);
            if (res instanceof Result.Released rel && !rel.freed().isEmpty()) {
                released.addAll(rel.freed());
                LOG.info("released {} of {}: its pod has been gone from node {} for the grace period", rel.freed(),
                        r.claimedFor() != null ? "pod uid " + r.claimedFor()
                                : r.podNamespace() + "/" + r.podName(), node);
            }
        }
        for (PodReconcile.Claim c : plan.claim()) {
            Result res = Background.await(core.submit(id -> new Input.Claim(id, c.attachment(), c.address())));
            if (res instanceof Result.Assigned) {
                claimed.add(new Hold(c.attachment(), c.address()));
                LOG.info("claimed {} for running pod {}/{}: weft held no record of it (a pod weft lost track of, or"
                        + " one from another IPAM such as Weave Net), so it is never handed out again",
                        IPv4.format(c.address()), c.pod().namespace(), c.pod().name());
            } else {
                refused.add(IPv4.format(c.address()) + ": " + res);
                LOG.warn("cannot claim {} for running pod {}/{}: {}", IPv4.format(c.address()), c.pod().namespace(),
                        c.pod().name(), res);
            }
        }
        return new Outcome(true, released, claimed, refused);
    }

    /** This node's holds to reconcile, and every address it holds for anyone. */
    private record Holdings(List<Hold> own, Set<Long> covered) {}

    /** Read on the loop thread: gateway holds and holds kept for another node's pods are not ours to judge. */
    private static Holdings holdings(Peer peer) {
        Set<Attachment> kept = new HashSet<>();
        for (Record r : peer.snapshot()) {
            if (r instanceof Record.Kept k) {
                kept.addAll(k.attachments());
            }
        }
        List<Hold> own = new ArrayList<>();
        Set<Long> covered = new HashSet<>();
        for (Hold h : peer.space().holds()) {
            covered.add(h.address());
            if (!kept.contains(h.attachment()) && !CniFrontEnd.isGatewayHold(h.attachment())) {
                own.add(h);
            }
        }
        for (Hold h : peer.status().fenced()) {
            covered.add(h.address());
        }
        return new Holdings(own, covered);
    }


    @Override
    public void close() {
        if (watch != null) {
            watch.close();
        }
        Background.stop(timer);
    }
}
