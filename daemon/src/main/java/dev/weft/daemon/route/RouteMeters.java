package dev.weft.daemon.route;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code weft_routes} (weft's routes in the table after the last round), {@code weft_routes_unroutable} (ring
 * entries of other peers with no route, by reason) and {@code weft_route_errors_total} (by what failed).
 */
final class RouteMeters {
    /** What can fail in a round; every counter exists from the start at 0, so alerts can watch it at once. */
    enum Failure {
        /** {@code ip} could not be run, or its listing was unreadable: the round stopped there. */
        IP,
        /** A route to add, re-point or delete did not take (shown by the listing after the change). */
        APPLY,
        /** A route weft did not make holds a planned destination: weft leaves it and routes nothing there. */
        BLOCKED,
        /** Peer addresses or the kernel switches could not be read or set. */
        HOST;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final AtomicInteger routes = new AtomicInteger();
    private final Map<Unroutable, AtomicInteger> unroutable = new EnumMap<>(Unroutable.class);
    private final Map<Failure, Counter> errors = new EnumMap<>(Failure.class);

    RouteMeters(MeterRegistry registry) {
        Gauge.builder("weft_routes", routes, AtomicInteger::get)
                .description("kernel routes weft keeps to other nodes' pod ranges").register(registry);
        for (Unroutable u : Unroutable.values()) {
            AtomicInteger n = new AtomicInteger();
            unroutable.put(u, n);
            Gauge.builder("weft_routes_unroutable", n, AtomicInteger::get).tag("reason", u.label())
                    .description("ring entries of other peers that get no route, by reason").register(registry);
        }
        for (Failure f : Failure.values()) {
            errors.put(f, Counter.builder("weft_route_errors").tag("what", f.label())
                    .description("host route failures, by what failed").register(registry));
        }
    }

    void routes(int n) {
        routes.set(n);
    }

    void plan(RoutePlan plan) {
        for (Unroutable u : Unroutable.values()) {
            unroutable.get(u).set(plan.unroutable().getOrDefault(u, 0));
        }
    }

    void failed(Failure what, int times) {
        if (times > 0) {
            errors.get(what).increment(times);
        }
    }
}
