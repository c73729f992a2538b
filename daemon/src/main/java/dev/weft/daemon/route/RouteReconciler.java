package dev.weft.daemon.route;

import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Ring;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's kernel routes in line with the ring, on a thread of its own: the event loop only hands it
 * each new ring snapshot ({@link #publish}, which returns at once). A round plans the routes from the latest ring
 * and the peers' addresses, lists weft's routes, changes what differs and lists again to see what took. Rounds
 * run after a ring change (at most one per {@code debounce}), every {@code period} whatever happens, and sooner
 * when a peer's address that was missing may have arrived. Failures are logged and counted, never thrown: the
 * next round tries again.
 *
 * <p>Closing stops the rounds and leaves every route in place: pods keep running while weftd restarts or is
 * upgraded, and a restarted weftd takes the routes over as they are (it lists them by weft's protocol number).
 */
public final class RouteReconciler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RouteReconciler.class);
    static final long DEBOUNCE_MILLIS = 500;
    static final long PERIOD_MILLIS = 30_000;
    /** How often the bridge's proxy-ARP and missing peer addresses are looked at (both cheap). */
    static final long CHECK_MILLIS = 1_000;

    private final RouteTable table;
    private final KernelSwitches switches;
    private final PeerId self;
    private final Supplier<Map<PeerId, String>> addresses;
    private final RouteMeters meters;
    private final long debounceMillis;
    private final ScheduledExecutorService thread;
    private final AtomicReference<Ring> latest = new AtomicReference<>();
    private final AtomicBoolean roundQueued = new AtomicBoolean();

    // Written only on the reconciler's thread.
    private volatile long lastRound = Long.MIN_VALUE / 2;
    private volatile RoutePlan lastPlan;
    private boolean lastRoundClean;
    /** The last problem logged, per part ("kernel settings", "routes"), so a problem that repeats is logged once. */
    private final Map<String, String> problems = new java.util.HashMap<>();

    RouteReconciler(RouteTable table, KernelSwitches switches, PeerId self, Supplier<Map<PeerId, String>> addresses,
            MeterRegistry registry, long debounceMillis, long periodMillis, long checkMillis) {
        this.table = table;
        this.switches = switches;
        this.self = self;
        this.addresses = addresses;
        this.meters = new RouteMeters(registry);
        this.debounceMillis = debounceMillis;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "weft-routes");
            t.setDaemon(true);
            return t;
        });
        thread.scheduleWithFixedDelay(() -> round(true), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        thread.scheduleWithFixedDelay(this::check, 0, checkMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Host routes for this node's main table with iproute2's {@code ip}, and the kernel switches under
     * {@code /proc/sys}.
     *
     * @param addresses each peer's node address as it advertised it (the host of its peer address)
     */
    public static RouteReconciler start(RouteSettings settings, PeerId self,
            Supplier<Map<PeerId, String>> addresses, MeterRegistry registry) {
        log.info("host routes on: one route per range another peer owns, protocol {}, proxy-ARP on bridge {}",
                IpRouteTable.PROTOCOL, settings.bridge());
        return new RouteReconciler(new IpRouteTable(List.of("ip")), new KernelSwitches(Path.of("/proc/sys"),
                settings.bridge()), self, addresses, registry, DEBOUNCE_MILLIS, PERIOD_MILLIS, CHECK_MILLIS);
    }

    /** A new ring snapshot, from the event loop: never blocks, never throws. */
    public void publish(Ring ring) {
        if (ring == null) {
            return;
        }
        latest.set(ring);
        if (roundQueued.compareAndSet(false, true)) {
            try {
                long wait = Math.max(0, lastRound + debounceMillis - System.currentTimeMillis());
                thread.schedule(() -> {
                    roundQueued.set(false);
                    round(false);
                }, wait, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                roundQueued.set(false);
            }
        }
    }

    /** The kernel switches, and an early round when an owner's address was missing and may have come. */
    private void check() {
        try {
            List<String> turnedOn = switches.ensure();
            if (!turnedOn.isEmpty()) {
                log.info("set {}", String.join(", ", turnedOn));
            }
            solved(SWITCHES);
        } catch (IOException | RuntimeException e) {
            problem(SWITCHES, e.getMessage(), RouteMeters.Failure.HOST);
        }
        RoutePlan p = lastPlan;
        if (p != null && p.unroutable().getOrDefault(Unroutable.NO_ADDRESS, 0) > 0) {
            round(false);
        }
    }

    /**
     * One round. Unless {@code full}, it ends before calling {@code ip} when the plan is the one the last round
     * carried out in full: a ring snapshot changes with every free count, the routes seldom.
     */
    private void round(boolean full) {
        Ring ring = latest.get();
        if (ring == null) {
            return; // no ring yet: forming, or the loop has not ticked. Nothing is known, so nothing is changed.
        }
        lastRound = System.currentTimeMillis();
        try {
            Map<PeerId, String> book = addresses.get();
            RoutePlan plan = RoutePlan.of(ring, self, book);
            boolean same = lastPlan != null && plan.routes().equals(lastPlan.routes())
                    && plan.unknown().equals(lastPlan.unknown());
            lastPlan = plan;
            meters.plan(plan);
            if (!full && same && lastRoundClean) {
                return;
            }
            reconcile(plan);
        } catch (IOException | RuntimeException e) {
            lastRoundClean = false;
            problem(ROUTES, "not reconciled: " + e.getMessage(), e instanceof IOException
                    ? RouteMeters.Failure.IP : RouteMeters.Failure.HOST);
        }
    }

    private void reconcile(RoutePlan plan) throws IOException {
        RouteTable.Listing before = table.list();
        RouteChanges changes = RouteChanges.between(plan, before);
        RouteTable.Listing after = before;
        List<String> said = List.of();
        if (!changes.none()) {
            said = table.apply(changes.replace(), changes.delete());
            after = table.list();
            log.info("routes: {} added or re-pointed, {} deleted ({} of weft's now)", changes.replace().size(),
                    changes.delete().size(), after.weft().size());
        }
        meters.routes(after.weft().size());
        RouteChanges left = RouteChanges.between(plan, after);
        int failed = left.replace().size() + left.delete().size();
        meters.failed(RouteMeters.Failure.APPLY, failed);
        meters.failed(RouteMeters.Failure.BLOCKED, left.blocked().size());
        lastRoundClean = failed == 0 && left.blocked().isEmpty();
        if (lastRoundClean) {
            solved(ROUTES);
            return;
        }
        StringBuilder why = new StringBuilder();
        if (failed > 0) {
            why.append(failed).append(" route change(s) did not take: ").append(some(left.replace()))
                    .append(" to add, ").append(some(left.delete())).append(" to delete; ip said ").append(some(said));
        }
        if (!left.blocked().isEmpty()) {
            why.append(why.length() > 0 ? "; " : "").append("routes weft did not make hold ").append(some(left.blocked()))
                    .append(": weft leaves them alone, so those pods are unreachable from here until they are removed");
        }
        problem(ROUTES, why.toString(), null); // counted above, per route
    }

    /** A list for the log: a thousand failed routes are one problem, not a thousand lines. */
    private static String some(List<?> items) {
        return items.size() <= 8 ? items.toString()
                : items.subList(0, 8).toString().replaceFirst("]$", ", and " + (items.size() - 8) + " more]");
    }

    private static final String SWITCHES = "kernel settings";
    private static final String ROUTES = "routes";

    /**
     * Logs a problem of {@code part} at WARN when it is new, at DEBUG while it repeats; counts it once under
     * {@code what} (null: counted by the caller).
     */
    private void problem(String part, String text, RouteMeters.Failure what) {
        if (what != null) {
            meters.failed(what, 1);
        }
        if (Objects.equals(text, problems.put(part, text))) {
            log.debug("{}: {}", part, text);
        } else {
            log.warn("{}: {}", part, text);
        }
    }

    private void solved(String part) {
        if (problems.remove(part) != null) {
            log.info("{}: as they should be again", part);
        }
    }

    /** Stops the rounds; every route stays (see the class comment). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RoutePlan p = lastPlan;
        log.info("host routes stop being reconciled; the {} route(s) stay for the pods that keep running",
                p == null ? 0 : p.routes().size());
    }
}
