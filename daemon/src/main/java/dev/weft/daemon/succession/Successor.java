package dev.weft.daemon.succession;

import dev.weft.core.node.Input;
import dev.weft.core.node.Result;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.daemon.api.RemovalGrace;
import dev.weft.daemon.loop.CoreGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger: once the core has a ring, succeeds every earlier install under this peer's name (see
 * {@link Predecessors}) as soon as nobody has heard from it within the grace period, sending the node's live
 * holds with it through the event loop. Runs on its own thread and checks again every few seconds for as long
 * as the daemon runs, so an earlier install learned late (from a peer that was away) is succeeded too. It
 * runs at every start, not only on an empty data folder: a weftd killed after its first write but before its
 * succession would otherwise never come back to it, and a repeated succession of the same install is
 * answered "done" without changing anything.
 *
 * <p>Nothing is freed here: until the core has imported the live holds, the earlier install's ranges stay
 * its own (or rest with whoever removed it), and this install allocates only from ranges it was granted.
 */
public final class Successor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Successor.class);
    static final long CHECK_MILLIS = 2_000;
    static final long CALL_SECONDS = 30;

    private final Supplier<CompletableFuture<Ring>> ring;
    private final CoreGateway core;
    private final PeerId self;
    private final Supplier<Map<PeerId, Long>> lastHeard;
    private final LiveHolds holds;
    private final LongSupplier clock;
    private final RemovalGrace grace;
    private final ScheduledExecutorService timer;
    /** Earlier installs done with, and what the core said (for status and the logs). */
    private final Map<PeerId, String> done = new LinkedHashMap<>();
    /** Earlier installs whose current reason to wait was logged, so each reason is logged once. */
    private final Set<String> told = new TreeSet<>();
    private volatile String state = "waiting for the ring";

    /**
     * @param ring the core's ring as of now (null while forming), read through the loop; rings are immutable
     * @param core where the succession is sent
     * @param lastHeard when anyone last heard from each install (the transport's view, wall-clock millis)
     * @param clock wall-clock millis, the base of {@code lastHeard}
     * @param grace how long an earlier install must have been silent before it is succeeded
     */
    public Successor(Supplier<CompletableFuture<Ring>> ring, CoreGateway core, PeerId self,
            Supplier<Map<PeerId, Long>> lastHeard, LiveHolds holds, LongSupplier clock, RemovalGrace grace) {
        this.ring = ring;
        this.core = core;
        this.self = self;
        this.lastHeard = lastHeard;
        this.holds = holds;
        this.clock = clock;
        this.grace = grace;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-succession");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        timer.scheduleWithFixedDelay(this::safeRound, 0, CHECK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** What succession is doing, for status: waiting (and why), done (with what), or not needed. */
    public String state() {
        return state;
    }

    private void safeRound() {
        try {
            round();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // The loop is stopping or slow: the next round tries again; nothing was half done.
            log.debug("succession round did not complete: {}", e.toString());
        }
    }

    /** One look at the ring, and a succession of every earlier install that may be succeeded now. */
    void round() throws InterruptedException, ExecutionException, TimeoutException {
        Ring now = ring.get().get(CALL_SECONDS, TimeUnit.SECONDS);
        if (now == null) {
            state = "waiting for the ring";
            return;
        }
        Map<PeerId, Boolean> earlier = Predecessors.inRing(self, now);
        earlier.keySet().removeAll(done.keySet());
        StringBuilder waiting = new StringBuilder();
        for (Predecessors.Verdict v : Predecessors.judge(earlier, lastHeard.get(), clock.getAsLong(), grace)) {
            if (!v.ready()) {
                String why = v.waitReason();
                if (told.add(v.predecessor() + (v.heard() != null ? " heard" : " after"))) {
                    log.info("succession of {} waits: {}", v.predecessor(), why);
                }
                waiting.append(waiting.isEmpty() ? "" : "; ").append(why);
                continue;
            }
            String outcome = succeed(v);
            if (outcome != null) {
                waiting.append(waiting.isEmpty() ? "" : "; ").append(outcome);
            }
        }
        if (!waiting.isEmpty()) {
            state = "waiting: " + waiting;
        } else if (done.isEmpty()) {
            state = "not needed: no earlier install of " + self.name() + " in the ring";
        } else {
            state = "done: " + String.join("; ", done.values());
        }
    }

    /** Sends one succession; null when the earlier install is done with, else why it must be tried again. */
    private String succeed(Predecessors.Verdict v) throws InterruptedException, ExecutionException, TimeoutException {
        PeerId predecessor = v.predecessor();
        Map<Attachment, Long> live = holds.collect();
        Result r = core.submit(id -> new Input.Succeed(id, predecessor, live)).get(CALL_SECONDS, TimeUnit.SECONDS);
        if (r instanceof Result.Done d) {
            log.info("succeeded {}{} with {} live hold(s) of this node: {}", predecessor,
                    v.tombstoned() ? " (already removed)" : "", live.size(), d.message());
            done.put(predecessor, predecessor + ": " + d.message());
            return null;
        }
        if (r instanceof Result.Refused f
                && (f.why() == Result.Why.BAD_REQUEST || f.why() == Result.Why.UNKNOWN_PEER)) {
            // Retrying cannot change this answer: say so once and leave the earlier install to an operator.
            log.error("succession of {} refused ({}): {}. Its ranges stay with it; an operator can run weft rmpeer {}",
                    predecessor, f.why(), f.message(), predecessor);
            done.put(predecessor, predecessor + ": refused, " + f.message());
            return null;
        }
        String why = r instanceof Result.TryLater t ? t.reason() : r instanceof Result.Refused f ? f.why() + ": "
                + f.message() : String.valueOf(r);
        if (told.add(predecessor + " " + why)) {
            log.info("succession of {} must be tried again: {}", predecessor, why);
        }
        return predecessor + " to be tried again: " + why;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(CALL_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
