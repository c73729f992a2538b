package dev.weft.daemon.kube;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.IPv4;
import dev.weft.core.space.Attachment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides, from this node's holds and a fresh list of its pods, which holds to release and which running
 * pods' addresses to claim. Pure: times come in, nothing is read or sent.
 *
 * <p>A hold is released only when its pod was missing from a list (absent, terminated, or a later pod of
 * the same name) and still missing from every list since, for at least the grace period: one list is never
 * enough, and a list that could not be had (API server unreachable) is no evidence of anything, so the
 * caller simply does not call. Holds whose ADD named no pod are never released here (the CNI DEL and GC
 * speak for them). A running pod whose address lies in the cluster's space and that no hold covers is
 * claimed for the pod: a pod the daemon lost track of, or a Weave Net pod during a migration, must never
 * see its address handed out again.
 */
public final class PodReconcile {
    /** What one pass decided. */
    public record Plan(List<HoldState> release, List<Claim> claim) {
        public Plan {
            release = List.copyOf(release);
            claim = List.copyOf(claim);
        }
    }

    /** Claim {@code address} for {@code pod} under {@code attachment}. */
    public record Claim(Attachment attachment, long address, PodState pod) {}

    private final Cidr universe;
    private final long graceMillis;
    /** When each hold was first seen without its pod, in an unbroken run of lists that all missed it. */
    private final Map<Attachment, Long> missingSince = new HashMap<>();

    public PodReconcile(Cidr universe, long graceMillis) {
        this.universe = universe;
        this.graceMillis = graceMillis;
    }

    /**
     * One pass.
     *
     * @param now the time the pod list was taken (milliseconds, any monotonic clock)
     * @param holds this node's holds to reconcile (no gateway holds, none kept for other nodes)
     * @param covered every address this node holds or keeps, whatever for (gateways, kept and fenced holds
     *                too): no pod's address among them is claimed
     * @param pods every pod of this node, freshly listed
     */
    public Plan pass(long now, Collection<HoldState> holds, Set<Long> covered, Collection<PodState> pods) {
        Map<String, PodState> byUid = new HashMap<>();
        Map<String, PodState> byName = new HashMap<>();
        for (PodState p : pods) {
            byUid.put(p.uid(), p);
            byName.put(p.namespace() + "/" + p.name(), p);
        }
        List<HoldState> release = new ArrayList<>();
        Set<Attachment> seen = new HashSet<>();
        for (HoldState h : holds) {
            seen.add(h.attachment());
            Boolean present = present(h, byUid, byName);
            if (present == null || present) {
                missingSince.remove(h.attachment());
                continue;
            }
            long since = missingSince.computeIfAbsent(h.attachment(), a -> now);
            if (now - since >= graceMillis) {
                release.add(h);
            }
        }
        missingSince.keySet().retainAll(seen);
        return new Plan(release, claims(covered, pods));
    }

    /** Forgets a released hold's history (a new hold of the same attachment starts afresh). */
    public void released(Attachment a) {
        missingSince.remove(a);
    }

    /** Holds currently counted as missing their pod, for status and tests. */
    public int missing() {
        return missingSince.size();
    }

    /** True when the hold's pod is in the list and may use its address, false when not, null when unknown. */
    private static Boolean present(HoldState h, Map<String, PodState> byUid, Map<String, PodState> byName) {
        String claimed = h.claimedFor();
        if (claimed != null) {
            PodState p = byUid.get(claimed);
            // Also gone when the pod now shows other addresses: a new sandbox got a new one from its ADD.
            return p != null && !p.terminated() && (p.ipv4().isEmpty() || p.ipv4().contains(h.address()));
        }
        if (!h.knowsPod()) {
            return null;
        }
        PodState p = byName.get((h.podNamespace() == null ? "default" : h.podNamespace()) + "/" + h.podName());
        if (p == null || p.terminated()) {
            return false;
        }
        return p.mirror() || h.podUid() == null || h.podUid().isEmpty() || h.podUid().equals(p.uid());
    }

    private List<Claim> claims(Set<Long> covered, Collection<PodState> pods) {
        List<Claim> out = new ArrayList<>();
        for (PodState p : pods) {
            if (!p.running() || p.hostNetwork() || p.deleting() || p.terminated()) {
                continue;
            }
            for (long a : p.ipv4()) {
                if (universe.hosts().contains(a) && !covered.contains(a)) {
                    out.add(new Claim(HoldState.claimOf(p.uid(), IPv4.format(a)), a, p));
                }
            }
        }
        return out;
    }
}
