package dev.weft.daemon.metrics;

import dev.weft.core.node.Alarm;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The event loop's own meters: requests by kind and outcome, their latency, batches and syncs, alarms. */
public final class LoopMeters {
    private final MeterRegistry registry;
    private final DistributionSummary batchRecords;
    private final DistributionSummary batchSteps;
    private final Timer sync;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latency = new ConcurrentHashMap<>();

    public LoopMeters(MeterRegistry registry) {
        this.registry = registry;
        this.batchRecords = DistributionSummary.builder("weft_batch_records")
                .description("records per synced RocksDB write batch").publishPercentileHistogram()
                .maximumExpectedValue(100_000.0).register(registry);
        this.batchSteps = DistributionSummary.builder("weft_batch_steps")
                .description("core steps whose records went into one synced batch").register(registry);
        this.sync = Timer.builder("weft_store_sync").description("time to write and sync one batch")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(5)).register(registry);
        // Present from the start at 0, so an alert can watch them before the first alarm.
        for (Alarm.Kind k : Alarm.Kind.values()) {
            alarmCounter(k.name().toLowerCase(Locale.ROOT));
        }
    }

    public void synced(int records, int steps, long nanos) {
        batchRecords.record(records);
        batchSteps.record(steps);
        sync.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One answered request: {@code kind} like "allocate", {@code outcome} like "assigned" or "try_later". */
    public void answered(String kind, String outcome, long nanos) {
        // Looked up per request on the hot path: cache the meters rather than build and register each time.
        counters.computeIfAbsent(kind + ' ' + outcome, k -> Counter.builder("weft_requests")
                .description("requests answered, by kind and outcome").tag("kind", kind).tag("outcome", outcome)
                .register(registry)).increment();
        latency.computeIfAbsent(kind, k -> Timer.builder("weft_request_latency")
                .description("from a request's arrival to its answer leaving").tag("kind", kind)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
    }

    public void alarm(String kind) {
        alarmCounter(kind).increment();
    }

    private Counter alarmCounter(String kind) {
        return Counter.builder("weft_alarms").description("alarms raised by the core").tag("kind", kind)
                .register(registry);
    }

    public void dropped(String what) {
        Counter.builder("weft_dropped").description("messages dropped before the transport was up").tag("what", what)
                .register(registry).increment();
    }
}
