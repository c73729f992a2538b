package dev.weft.sim;

import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The hand-overs' documented limit (design notes, "Succession", the last empty hand-over): a peer's word that
 * it holds nothing more is told once, from memory, and a peer restarted from its folder says none (its folder
 * may be an older copy: an empty word could free a live pod's address). So a peer that crashes soon after its
 * client released a pod it had handed over (a fenced hold) may never tell every keeper, and a keeper keeps
 * the address: a leak, never a duplicate (soak seeds 7901 and 9083). The oracle excuses exactly those pods:
 * released while fenced on the node, which then crashed (or died) within {@link #WINDOW} ms, the few gossip
 * rounds in which its word goes out.
 */
final class Retractions {
    static final long WINDOW = 2_000;

    private record Released(String node, long at) {}

    private final Map<Attachment, Released> recent = new HashMap<>();
    private final Set<Attachment> untold = new HashSet<>();

    /** {@code n}'s fenced holds before and after a step that released pods (a DEL, a container's release, GC). */
    void released(SimNode n, Set<Attachment> fencedBefore, Set<Attachment> fencedAfter, long now) {
        recent.values().removeIf(r -> now - r.at() > WINDOW);
        for (Attachment a : fencedBefore) {
            if (!fencedAfter.contains(a)) {
                recent.put(a, new Released(n.name, now));
            }
        }
    }

    /** {@code n} crashed: what it released while fenced just before may not have been told to its keepers. */
    void crashed(SimNode n, long now) {
        recent.forEach((a, r) -> {
            if (r.node().equals(n.name) && now - r.at() <= WINDOW) {
                untold.add(a);
            }
        });
    }

    /** Whether a hold of {@code a} left anywhere is the limit above, not a leak the core must answer for. */
    boolean untold(Attachment a) {
        return untold.contains(a);
    }

    static Set<Attachment> fenced(SimNode n) {
        Set<Attachment> out = new HashSet<>();
        for (Hold h : n.peer.status().fenced()) {
            out.add(h.attachment());
        }
        return out;
    }
}
