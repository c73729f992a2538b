package dev.weft.daemon.succession;

import dev.weft.core.address.IPv4;
import dev.weft.core.space.Attachment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every place that knows which of this node's attachments hold which address: libcni's result cache first,
 * and whatever else the daemon adds (Kubernetes mode adds this node's pods). Read once per succession, right
 * before it is sent, so that it is as fresh as it can be.
 */
public final class LiveHolds {
    private static final Logger log = LoggerFactory.getLogger(LiveHolds.class);

    private record Source(String name, Supplier<Map<Attachment, Long>> holds) {}

    private final List<Source> sources = new CopyOnWriteArrayList<>();

    /** Adds a source; {@code name} says in logs where a hold came from. */
    public void add(String name, Supplier<Map<Attachment, Long>> holds) {
        sources.add(new Source(name, holds));
    }

    /**
     * The union of every source. Where two sources name different addresses for one attachment the first
     * source wins and the disagreement is logged: the core holds one address per attachment. A source that
     * fails is logged and skipped, so the others still protect their pods.
     */
    public Map<Attachment, Long> collect() {
        Map<Attachment, Long> out = new HashMap<>();
        for (Source s : sources) {
            Map<Attachment, Long> got;
            try {
                got = s.holds().get();
            } catch (RuntimeException e) {
                log.error("succession: live holds from {} could not be read ({}); importing the other sources' only",
                        s.name(), e.toString());
                continue;
            }
            got.forEach((a, address) -> {
                Long before = out.putIfAbsent(a, address);
                if (before != null && !before.equals(address)) {
                    log.warn("succession: {} says {} holds {}, an earlier source says {}; keeping the earlier",
                            s.name(), a, IPv4.format(address), IPv4.format(before));
                }
            });
        }
        return out;
    }
}
