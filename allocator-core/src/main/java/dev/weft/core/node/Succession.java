package dev.weft.core.node;

import dev.weft.core.address.IPv4;
import dev.weft.core.address.Range;
import dev.weft.core.address.RangeSets;
import dev.weft.core.node.Result.Refused;
import dev.weft.core.node.Result.Why;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Ring;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.core.space.Space;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Succession ({@link Input.Succeed}): when names are unique per node, a new install takes over the older
 * install under its own name whose data folder is gone, as a removal would, and speaks for that node's pods
 * that outlived the folder.
 *
 * <p>Its rules, on both sides:
 * <ul>
 *   <li>The successor holds every live pod's address <em>in the step that takes the ranges</em>: those in its
 *       own ranges (taken or owned before) as ordinary holds, the others as fenced holds, which it hands over
 *       every round to whoever owns them, as a removed install does ({@link HandOvers}).</li>
 *   <li>Its hand-overs name the predecessors it speaks for among the installs they list as awaited. A
 *       receiver reads a listed install under the sender's own name, tombstoned, as one the sender succeeded:
 *       the hand-over is that node's word for its pods, so what was kept for the predecessor moves to the
 *       successor, and rests that waited for the predecessor end, but only on ranges the receiver owns in that
 *       step, where the listed addresses were just held again.</li>
 *   <li>With {@link CoreConfig#uniqueNames} another install under a removed install's name is no proof that
 *       its pods are gone (only this successor's word is).</li>
 * </ul>
 */
final class Succession {
    private Succession() {}

    /**
     * Why {@code predecessor} cannot be succeeded by {@code self} now, or null when it can. A peer that has not
     * compared rings since it started may not know the predecessor's last changes: it is told to try later.
     */
    static Result refusal(PeerId self, Ring ring, PeerId predecessor, boolean caughtUp) {
        if (!predecessor.name().equals(self.name())) {
            return new Refused(Why.BAD_REQUEST, "succession is for an older install of this node's own name ('"
                    + self.name() + "'), not for " + predecessor + ": remove another node's install with rmpeer");
        }
        if (predecessor.equals(self)) {
            return new Refused(Why.BAD_REQUEST, predecessor + " is this very install: name the older install whose"
                    + " data folder was lost");
        }
        if (!ring.isTombstoned(predecessor) && !ring.owners().contains(predecessor)) {
            return new Refused(Why.UNKNOWN_PEER, "the ring has no install " + predecessor + " (installs named '"
                    + self.name() + "': " + installsNamed(ring, self.name()) + "); nothing to take over");
        }
        if (!caughtUp) {
            return new Result.TryLater("this peer has not compared its ring with another peer since it started, so"
                    + " it may not know " + predecessor + "'s last changes; try again in a few seconds");
        }
        return null;
    }

    private static List<PeerId> installsNamed(Ring ring, String name) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : ring.owners()) {
            if (p.name().equals(name)) {
                out.add(p);
            }
        }
        for (PeerId p : ring.tombstones()) {
            if (p.name().equals(name) && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    static final String NOT_BY_REMOVAL = "with unique names an older install of this node's own name is taken over"
            + " by succession, which holds the addresses of the pods that outlived it first; the daemon does it when"
            + " it starts (or remove it through another peer)";

    /**
     * Whether removing {@code install} through {@code self} must be refused: with unique names it is this node's
     * own older install, whose pods may still run here; a removal would use its ranges without holding their
     * addresses (and would count as a succession without one: {@link #replaced}).
     */
    static boolean mustSucceed(CoreConfig config, PeerId self, PeerId install) {
        return config.uniqueNames() && install.name().equals(self.name()) && !install.equals(self);
    }

    /**
     * Whether a different install runs under {@code install}'s name, so that its pods are no longer to be
     * waited for: this install itself when it succeeded {@code install}; without unique names also one that
     * is reachable (its data, and with it its pods, are gone).
     */
    static boolean replaced(CoreConfig config, PeerId self, Set<PeerId> up, Set<PeerId> removedByMe, PeerId install) {
        if (succeeded(self, removedByMe, install)) {
            return true;
        }
        if (config.uniqueNames()) {
            return false; // pods outlive a data folder: only the successor's word ends the wait
        }
        for (PeerId p : up) {
            if (p.name().equals(install.name()) && !p.equals(install)) {
                return true;
            }
        }
        return false;
    }

    private static boolean succeeded(PeerId self, Set<PeerId> removedByMe, PeerId install) {
        return install.name().equals(self.name()) && !install.equals(self) && removedByMe.contains(install);
    }

    /** The older installs under this install's name that it took over, with unique names: it speaks for their pods. */
    static List<PeerId> speaksFor(CoreConfig config, PeerId self, Collection<PeerId> removedByMe) {
        List<PeerId> out = new ArrayList<>();
        if (!config.uniqueNames()) {
            return out;
        }
        for (PeerId p : removedByMe) {
            if (p.name().equals(self.name()) && !p.equals(self)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Whether the successor still owes hand-overs although it holds nothing fenced: some other peer holds a
     * takeover claim, whose rest may wait for its word (possibly an empty list) on a predecessor's behalf.
     */
    static boolean owesWord(Ring ring, PeerId self, List<PeerId> speaksFor) {
        if (ring == null || speaksFor.isEmpty()) {
            return false;
        }
        for (int i = 0; i < ring.size(); i++) {
            Claim c = ring.claimAt(i);
            if (c != null && c.takeover() && !c.owner().equals(self)) {
                return true;
            }
        }
        return false;
    }

    /** The installs a hand-over from {@code from} speaks for, at a receiver with {@code ring}. */
    static List<PeerId> spokenFor(CoreConfig config, Ring ring, PeerId from, List<PeerId> awaited) {
        List<PeerId> out = new ArrayList<>();
        if (!config.uniqueNames()) {
            return out; // another install under the name is proof enough there (Peer#proveReplaced)
        }
        for (PeerId p : awaited) {
            if (p.name().equals(from.name()) && !p.equals(from) && ring.isTombstoned(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The installs this peer keeps pods for whose lists a successor's word replaces: those it speaks for, and
     * any other install of its node's name (an older successor, which its own successor could not name when it
     * owned nothing in the ring: its pods were kept for ever, soak seed 4349). The latter only while {@code
     * from} is the install of its name this peer reaches: a delayed word from an older install replaces none.
     */
    static List<PeerId> superseded(PeerId from, List<PeerId> spoken, Collection<PeerId> keptFor, Set<PeerId> up) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId k : keptFor) {
            if (spoken.contains(k) || !spoken.isEmpty() && up.contains(from) && k.name().equals(from.name())
                    && !k.equals(from)) {
                out.add(k);
            }
        }
        return out;
    }

    /** The installs a hand-over says its sender waits for, less those it succeeded (their pods are its own). */
    static Set<PeerId> others(List<PeerId> awaited, List<PeerId> succeeded) {
        Set<PeerId> out = new TreeSet<>(awaited);
        succeeded.forEach(out::remove);
        return out;
    }

    /** Whether {@code r} lies wholly inside {@code owned}. */
    static boolean covered(Range r, List<Range> owned) {
        return RangeSets.subtract(List.of(r), owned).isEmpty();
    }

    /** What a succession did with the node's live holds, for its answer. */
    record Imported(int held, int already, int handedOver, int ignored, List<String> clashes) {
        String describe(PeerId predecessor, boolean wasRemoved, int[] taken) {
            return (wasRemoved ? predecessor + " was already removed; its pods' addresses stay held. " : "")
                    + "took over " + taken[0] + " ranges (" + taken[1] + " addresses) of " + predecessor + "; " + held + " live holds imported (" + already + " already held), " + handedOver
                    + " handed over to the owners of their ranges, " + ignored + " ignored (outside the address space"
                    + " or reserved)" + (clashes.isEmpty() ? "" : "; " + clashes.size() + " clash with other pods: "
                    + clashes.subList(0, Math.min(5, clashes.size())));
        }
    }

    /**
     * Holds the node's live pods' addresses: in {@code space} where this peer owns them (resting or not),
     * else as fenced holds in {@code fenced}, each persisted. Never throws on what the node reports.
     */
    static Imported importHolds(Map<Attachment, Long> live, Space space, Range universe,
            Map<Attachment, Long> fenced, Consumer<Record> persist) {
        List<Hold> sorted = new ArrayList<>();
        live.forEach((a, address) -> sorted.add(new Hold(a, address)));
        // A map's order is not stable across runs; the core's steps must be.
        sorted.sort(Comparator.comparing((Hold h) -> h.attachment().toString()).thenComparingLong(Hold::address));
        int held = 0;
        int already = 0;
        int handedOver = 0;
        int ignored = 0;
        List<String> clashes = new ArrayList<>();
        for (Hold h : sorted) {
            long address = h.address();
            if (!universe.contains(address) || space.isReserved(address)) {
                ignored++;
            } else if (space.owns(address)) {
                switch (space.restore(h.attachment(), address)) {
                    case TAKEN -> {
                        persist.accept(new Record.Held(h));
                        held++;
                    }
                    case ALREADY_YOURS -> already++;
                    case RESERVED -> ignored++;
                    default -> clashes.add(clash(h, space));
                }
            } else if (space.addressOf(h.attachment()) >= 0) {
                clashes.add(clash(h, space));
            } else if (Long.valueOf(address).equals(fenced.get(h.attachment()))) {
                already++;
            } else if (fenced.containsKey(h.attachment()) || fenced.containsValue(address)) {
                clashes.add(clash(h, space));
            } else {
                fenced.put(h.attachment(), address);
                persist.accept(new Record.Held(h));
                handedOver++;
            }
        }
        return new Imported(held, already, handedOver, ignored, clashes);
    }

    private static String clash(Hold h, Space space) {
        Attachment other = space.holder(h.address());
        long mine = space.addressOf(h.attachment());
        return h + (other != null && !other.equals(h.attachment()) ? ", but " + other + " holds "
                + IPv4.format(h.address()) : mine >= 0 ? ", but it holds " + IPv4.format(mine) + " here" : ", which"
                + " another fenced hold names");
    }
}
