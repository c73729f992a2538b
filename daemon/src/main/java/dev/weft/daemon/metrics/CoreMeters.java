package dev.weft.daemon.metrics;

import dev.weft.daemon.loop.CoreView;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Gauges over the core (as of the loop's last tick) and the transport's counters. Gauges read a
 * {@link CoreView} snapshot, never the core itself, which only the loop thread may touch.
 */
public final class CoreMeters {
    private CoreMeters() {}

    public static void register(MeterRegistry registry, Supplier<CoreView> view) {
        gauge(registry, "weft_addresses_owned", "addresses in ranges this peer owns", view, CoreView::owned);
        gauge(registry, "weft_addresses_in_use", "addresses held by attachments here", view, CoreView::held);
        gauge(registry, "weft_addresses_free", "free addresses in ranges this peer owns", view, CoreView::free);
        gauge(registry, "weft_addresses_fenced", "held addresses in ranges this peer no longer owns", view,
                CoreView::fenced);
        gauge(registry, "weft_requests_waiting", "requests waiting on a peer for space", view, CoreView::pending);
        gauge(registry, "weft_ring_entries", "entries in the ring", view, CoreView::ringEntries);
        gauge(registry, "weft_ring_conflicts", "ring entries two peers claim at one version", view,
                CoreView::conflicts);
        gauge(registry, "weft_ring_ready", "1 when the ring is formed and this peer belongs to it", view,
                v -> v.ready() ? 1 : 0);
        gauge(registry, "weft_peers_known", "other installs this peer knows of", view, CoreView::peersKnown);
        gauge(registry, "weft_peers_connected", "other installs with a working link", view, CoreView::peersReachable);
        gauge(registry, "weft_peers_unreachable", "known installs without a working link", view,
                v -> Math.max(0, v.peersKnown() - v.peersReachable()));
    }

    private static void gauge(MeterRegistry registry, String name, String help, Supplier<CoreView> view,
            ToDoubleFunction<CoreView> f) {
        Gauge.builder(name, view, v -> f.applyAsDouble(v.get())).description(help)
                .strongReference(true).register(registry); // the supplier is a lambda: keep it from the GC
    }

    /**
     * The transport's counters (links, bytes and messages by kind, rejects by reason) as
     * {@code weft_transport_<name>}; new names are registered as they appear, at each call.
     */
    public static final class TransportCounters {
        private final MeterRegistry registry;
        private final Supplier<Map<String, Long>> counters;
        /** The transport's values that go up and down (set, not added to). */
        private static final Set<String> GAUGES = Set.of("links.open", "plaintext");
        private final Set<String> known = ConcurrentHashMap.newKeySet();

        public TransportCounters(MeterRegistry registry, Supplier<Map<String, Long>> counters) {
            this.registry = registry;
            this.counters = counters;
        }

        /** Registers any counter name not seen before; call before each scrape. */
        public void refresh() {
            for (String name : counters.get().keySet()) {
                if (!known.add(name)) {
                    continue;
                }
                String meter = "weft_transport_" + sanitize(name);
                if (GAUGES.contains(name)) {
                    Gauge.builder(meter, counters, c -> c.get().getOrDefault(name, 0L)).description("transport " + name)
                            .strongReference(true)
                            .register(registry);
                } else {
                    FunctionCounter.builder(meter, counters, c -> c.get().getOrDefault(name, 0L))
                            .description("transport counter " + name).register(registry);
                }
            }
        }

        static String sanitize(String name) {
            return name.replaceAll("[^A-Za-z0-9_]", "_");
        }
    }
}
