package dev.weft.daemon.api;

import dev.weft.core.address.Cidr;
import dev.weft.core.address.Range;
import dev.weft.core.node.Peer;
import dev.weft.core.node.Status;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.daemon.api.v1.Alarm;
import dev.weft.daemon.api.v1.AllocationsReply;
import dev.weft.daemon.api.v1.PeerInfo;
import dev.weft.daemon.api.v1.PeersReply;
import dev.weft.daemon.api.v1.RingEntry;
import dev.weft.daemon.api.v1.RingReply;
import dev.weft.daemon.api.v1.StatusReply;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Read-only pictures of the core for the API, built on the loop thread (the only one that may read it). */
public final class Views {
    private Views() {}

    static StatusReply status(Status s, Cidr universe) {
        StatusReply.Builder b = StatusReply.newBuilder().setSelf(s.self().toString()).setState(state(s))
                .setForming(s.forming()).setUniverse(universe.toString()).setOwned(s.ownedSize()).setFree(s.free())
                .setHeld(s.held()).setPending(s.pending());
        s.fenced().forEach(h -> b.addFenced(Wire.hold(h)));
        s.reachable().forEach(p -> b.addReachable(p.toString()));
        s.alarms().forEach(a -> b.addAlarms(Alarm.newBuilder().setAt(a.at()).setKind(a.kind().name())
                .setMessage(a.message())));
        Ring ring = s.ring();
        if (ring != null) {
            b.setRingEntries(ring.size()).setConflicts(ring.conflicts().size()).setCluster(ring.cluster().value())
                    .setGaps(dev.weft.core.ring.Gap.in(ring).size());
        }
        return b.build();
    }

    /** forming, ready, recovering (a restart's wait), restored (a proven older backup), waiting-for-space, fenced or removed. */
    static String state(Status s) {
        if (s.phase() == Status.Phase.REMOVED) {
            return "removed";
        }
        if (s.phase() == Status.Phase.FORMING) {
            return "forming";
        }
        if (!s.fenced().isEmpty()) {
            return "fenced";
        }
        return s.pending() > 0 ? "waiting-for-space" : s.phase().name().toLowerCase(Locale.ROOT);
    }

    /** The whole ring, or null while it is forming (also drawn by the /ring page). */
    public static RingReply ring(Peer p) {
        Ring ring = p.ring();
        if (ring == null) {
            return null;
        }
        Set<PeerId> reachable = new HashSet<>(p.status().reachable());
        reachable.add(p.self());
        RingReply.Builder b = RingReply.newBuilder().setCluster(ring.cluster().value())
                .setUniverse(Cidr.of(ring.universe()).toString());
        for (int i = 0; i < ring.size(); i++) {
            Entry e = ring.entry(i);
            Range r = ring.rangeAt(i);
            Claim owner = counting(ring, i);
            RingEntry.Builder eb = RingEntry.newBuilder().setStart(Wire.address(r.start())).setEnd(Wire.address(r.end()))
                    .setRange(describe(r)).setOwner(owner.owner().toString()).setFree(freeIn(p, owner, r))
                    .setVersion(e.version()).setReachable(reachable.contains(owner.owner()))
                    .setConflicted(e.conflicted());
            if (e.conflicted()) {
                for (Claim c : e.claims()) {
                    eb.addClaims(dev.weft.daemon.api.v1.Claim.newBuilder().setOwner(c.owner().toString())
                            .setFree(c.free()).setEnd(Wire.address(c.end())).setTakeover(c.takeover()));
                }
            }
            b.addEntries(eb);
        }
        ring.tombstones().forEach(t -> b.addTombstones(t.toString()));
        return b.build();
    }

    /**
     * This peer's own ranges with their exact free count; others' as last reported into the ring (an owner
     * reports a change of a sixteenth of a range at once, smaller ones within a minute).
     */
    private static long freeIn(Peer p, Claim owner, Range r) {
        return owner.owner().equals(p.self()) ? p.space().freeIn(r) : owner.free();
    }

    /**
     * The claim that counts at entry {@code i}, as the core reads it ({@link Entry#effective}): a removed
     * install's claim set aside, a takeover yielding to an ordinary claim. Where nobody may allocate (a
     * conflict to settle) the entry's fixed-rule winner, which the conflict flag qualifies.
     */
    private static Claim counting(Ring ring, int i) {
        Claim c = ring.claimAt(i);
        List<Claim> all = ring.entry(i).claims();
        return c != null ? c : all.get(all.size() - 1); // claims() lists the winner last
    }

    private static String describe(Range r) {
        return r.isAligned() ? Cidr.of(r).toString() : Wire.address(r.start()) + "-" + Wire.address(r.end() - 1);
    }

    static PeersReply peers(Peer p, Map<PeerId, Long> heard) {
        Status s = p.status();
        Ring ring = s.ring();
        TreeMap<PeerId, PeerInfo.Builder> all = new TreeMap<>();
        all.computeIfAbsent(p.self(), k -> PeerInfo.newBuilder()).setSelf(true).setReachable(true);
        s.reachable().forEach(r -> all.computeIfAbsent(r, k -> PeerInfo.newBuilder()).setReachable(true));
        heard.forEach((peer, at) -> all.computeIfAbsent(peer, k -> PeerInfo.newBuilder()).setLastHeard(at));
        if (ring != null) {
            for (int i = 0; i < ring.size(); i++) {
                Claim owner = counting(ring, i);
                PeerInfo.Builder b = all.computeIfAbsent(owner.owner(), k -> PeerInfo.newBuilder());
                b.setOwned(b.getOwned() + ring.rangeAt(i).size()).setFree(b.getFree() + owner.free());
            }
            ring.tombstones().forEach(t -> all.computeIfAbsent(t, k -> PeerInfo.newBuilder()).setTombstoned(true));
        }
        PeersReply.Builder out = PeersReply.newBuilder();
        all.forEach((peer, b) -> out.addPeers(b.setPeer(peer.toString())));
        return out.build();
    }

    static AllocationsReply allocations(Peer p, String container, Range within, int limit,
            Map<Attachment, String> pods, boolean fenced) {
        AllocationsReply.Builder b = AllocationsReply.newBuilder();
        int n = 0;
        // Fenced holds are asked for apart: their pods are the ones the operator must restart (weft status
        // counts them; this names them), and the new owner lists the same attachments as kept.
        for (Hold h : fenced ? p.status().fenced() : p.space().holds()) {
            if (!container.isEmpty() && !h.attachment().containerId().equals(container)) {
                continue;
            }
            if (within != null && !within.contains(h.address())) {
                continue;
            }
            if (n++ == limit) {
                return b.setTruncated(true).build();
            }
            b.addHolds(Wire.hold(h).toBuilder().setPod(pods.getOrDefault(h.attachment(), "")));
        }
        return b.build();
    }
}
