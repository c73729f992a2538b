package dev.weft.daemon.succession;

import dev.weft.core.space.Attachment;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The result cache as a source of live holds: each read is logged with what it found, and every file that
 * could not be used is logged (naming it and why) and counted in {@code weft_cni_results_unusable_total},
 * because a pod behind an unusable file is a pod whose address succession cannot protect.
 */
public final class CacheHolds implements Supplier<Map<Attachment, Long>> {
    private static final Logger log = LoggerFactory.getLogger(CacheHolds.class);

    private final ResultsCache cache;
    private final Counter unusable;

    public CacheHolds(ResultsCache cache, MeterRegistry registry) {
        this.cache = cache;
        this.unusable = Counter.builder("weft_cni_results_unusable_total")
                .description("files of libcni's result cache that succession could not read (see the log)")
                .register(registry);
    }

    @Override
    public Map<Attachment, Long> get() {
        ResultsCache.Scan s = cache.read();
        for (String p : s.problems()) {
            log.warn("libcni result cache {}: {} (the pod behind it, if any, is not protected by succession: check"
                    + " it by hand)", cache.dir(), p);
        }
        unusable.increment(s.problems().size());
        log.info("libcni result cache {}: {}", cache.dir(), s.summary());
        return s.holds();
    }
}
