package dev.weft.core.node;

import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Merge;
import dev.weft.core.ring.Ring;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this peer tells others about its ring, to whom and when (the gossip rules in {@code docs/design.md}):
 *
 * <ul>
 *   <li>every gossip round, one {@link Message.Digest} to one random reachable peer (a few bytes: the steady
 *       state); while ring-less, "I have no ring" to everyone until some peer shows it has one, and from then
 *       on an ask to one such peer at a time ({@link RingAsk});
 *   <li>a change this peer made goes as a delta to {@code fanout} random peers at once; changes learned from
 *       deltas are passed on the same way once per tick, batched;
 *   <li>a digest that differs starts a segment exchange ({@link Segments}): top digests, then leaf digests
 *       under the top segments that differ, then the entries of the leaves that differ, both ways. It costs
 *       what differs, not the ring, and when it ends with equal digests the two peers have compared rings;
 *   <li>an operator's takeover, settlement or gap reclaim goes as a delta to every reachable peer at once; after
 *       a takeover or a gap each answers: equal, or top digests that start a segment exchange ({@link #toAll});
 *   <li>a whole ring goes only to a peer without one that asks for it (it joined or restarted without one, and
 *       chose this peer to ask; a ring-less digest that does not ask gets our digest, so it knows whom to ask),
 *       back to a peer that sent its own whole ring asking for ours (wire protocol 2), and to every reachable
 *       peer after a consensus founding (bootstrap: see {@link #wholeToAll}).
 * </ul>
 *
 * Comparisons (equal digests, a whole ring or a segment exchange that merged into exactly the sender's ring)
 * are recorded in {@link RingSync}, on which removals and rests depend.
 */
final class Gossiper {
    private final CoreConfig config;
    private final Entropy entropy;
    /** The peer's own set of reachable peers, read here, changed only by the peer. */
    private final Set<PeerId> up;
    private final RingSync sync;
    /** Tokens learned from deltas since the last tick, to pass on then. */
    private final TreeSet<Long> toForward = new TreeSet<>();
    /** While this peer has no ring: whom it asks for one. */
    private final RingAsk ask;
    private long nextRound;

    Gossiper(CoreConfig config, Entropy entropy, Set<PeerId> up, RingSync sync) {
        this.config = config;
        this.entropy = entropy;
        this.up = up;
        this.sync = sync;
        this.ask = new RingAsk(config.askTimeout(), entropy, up);
    }

    // ------------------------------------------------------------------ pushing changes

    /** Sends the entries at {@code changed} to {@code fanout} random peers, and to {@code also} if given. */
    void push(Ring ring, long[] changed, PeerId also, Output.Builder out) {
        if (changed.length == 0) {
            return;
        }
        RingPiece piece = ring.delta(changed);
        List<PeerId> targets = new ArrayList<>(up);
        targets.remove(also);
        for (PeerId p : entropy.pick(targets, config.fanout())) {
            out.send(p, new Message.Gossip(piece, ring.digest(), false));
        }
        if (also != null && up.contains(also)) {
            out.send(also, new Message.Gossip(piece, ring.digest(), false));
        }
    }

    /**
     * Passes on what deltas taught since the last tick: one message per peer per tick rather than one per
     * change, which matters when a thousand peers change at once.
     */
    void forward(Ring ring, Output.Builder out) {
        if (toForward.isEmpty()) {
            return;
        }
        long[] tokens = new long[toForward.size()];
        int i = 0;
        for (long t : toForward) {
            tokens[i++] = t;
        }
        toForward.clear();
        push(ring, tokens, null, out);
    }

    /** The whole ring to every reachable peer: a ring just founded by consensus, which the others lack. */
    void wholeToAll(Ring ring, Output.Builder out) {
        for (PeerId p : up) {
            out.send(p, new Message.Gossip(ring.whole(), ring.digest(), false));
        }
    }

    /**
     * An operator's change every reachable peer must hear of at once: a takeover (the removed install's pods may
     * hold addresses there), a settlement (every claimant must hear it: the losers yield, the owner waits) or a
     * reclaimed gap. It goes as one delta of the changed entries (with the tombstones) to each, never as the
     * whole ring: at 1000 peers that was ~68 KB to each of them.
     *
     * <p>With {@code askBack} (a takeover or a gap: this peer's view may be stale, and the range rests until it
     * compared equal rings with every install it knows) each receiver answers: an empty piece if its ring is
     * now equal to ours, which counts as compared here, or else its top segment digests, and the segment
     * exchange that follows brings here what it knows and this peer lacks (a split or grant of the removed
     * install). So one exchange with each peer proves the comparisons the rest waits for; a peer's own rounds,
     * one peer each, would take as many rounds as it knows installs. Whole rings here once hid two faults the
     * segment exchange exposed (soak seeds 117, 1229, 1530; see {@code docs/design.md}, "Gossip"); both are
     * fixed where they were.
     */
    void toAll(Ring ring, long[] changed, boolean askBack, Output.Builder out) {
        RingPiece piece = ring.delta(changed);
        for (PeerId p : up) {
            out.send(p, new Message.Gossip(piece, ring.digest(), askBack));
        }
    }

    // ------------------------------------------------------------------ rounds

    /** Whether a gossip round is due at {@code now}; if so, the next one is scheduled (jittered). */
    boolean roundDue(long now) {
        if (now < nextRound) {
            return false;
        }
        nextRound = now + config.gossipInterval() / 2 + entropy.nextLong(config.gossipInterval());
        return true;
    }

    /**
     * One round's digests: to one random peer; while ring-less, "I have no ring" to everyone (who else is
     * still ring-less?) until a peer shows it has a ring, then an ask to one such peer when the last is due again.
     * While a rest waits for this peer to compare equal rings with every install it knows, the round goes to
     * one of {@code unproven} (the reachable ones it has not compared with since) and carries the top segment
     * digests: the other answers even when the rings are equal (see {@link #segments}), so this peer learns
     * the comparison. A plain digest only tells the receiver, and a rest whose peer waited on others' random
     * rounds to reach it could outlast the liveness bound (soak seeds 2714, 8574). A peer restarted from its
     * folder ({@code toAll}) asks every one of them each round: it hands out nothing until all have answered,
     * and one a round would keep it idle for as many rounds as it knows peers (soak seed 1462).
     */
    void round(long now, Ring ring, List<PeerId> unproven, boolean toAll, Output.Builder out) {
        if (up.isEmpty()) {
            return;
        }
        if (ring == null) {
            if (ask.knowsRing()) {
                ask.round(now, out);
            } else {
                for (PeerId p : up) {
                    out.send(p, Message.Digest.withoutRing());
                }
            }
            return;
        }
        ask.done();
        List<PeerId> wanted = new ArrayList<>(unproven);
        wanted.retainAll(up);
        if (!wanted.isEmpty()) {
            for (PeerId p : toAll ? wanted : entropy.pick(wanted, 1)) {
                out.send(p, tops(ring));
            }
            return;
        }
        PeerId target = entropy.pick(new ArrayList<>(up), 1).get(0);
        out.send(target, new Message.Digest(ring.cluster(), ring.digest()));
    }

    /**
     * A peer just came up: tell it what ring we have, so it sends what we lack (or asks). Without a ring, say so,
     * unless a ring is known to exist: then this peer asks one holder for it and founds nothing, and saying so
     * to each peer that comes up would only have each holder answer with its digest.
     */
    void greet(PeerId p, Ring ring, long now, Output.Builder out) {
        sync.cameUp(p, now);
        if (ring != null) {
            out.send(p, new Message.Digest(ring.cluster(), ring.digest()));
        } else if (ask.knowsRing()) {
            ask.reachable(p, now, out); // its greeting may have come first
        } else {
            out.send(p, Message.Digest.withoutRing());
        }
    }

    /** While ring-less: whether a reachable peer showed it has a ring this peer would join. */
    boolean knowsRing() {
        return ask.knowsRing();
    }

    /** While ring-less: {@code from}'s ring was refused (another address space), so it is no holder to ask. */
    void refused(PeerId from) {
        ask.refused(from);
    }

    // ------------------------------------------------------------------ answering

    /** Answers a peer's digest; returns why its ring is foreign to ours, or null. */
    String digest(PeerId from, Message.Digest d, Ring ring, long now, Output.Builder out) {
        if (d.cluster() == null) {
            // It has no ring at all: ours whole if it asks, else our digest, so it knows whom to ask.
            out.send(from, d.asksForRing() ? new Message.Gossip(ring.whole(), ring.digest(), false)
                    : new Message.Digest(ring.cluster(), ring.digest()));
            return null;
        }
        if (ring == null) {
            ask.holder(from, now, out); // they have a ring and we do not
            return null;
        }
        if (!d.cluster().equals(ring.cluster())) {
            return "it belongs to cluster " + d.cluster() + " and this peer to " + ring.cluster();
        }
        if (d.digest() == ring.digest()) {
            sync.compared(from, now);
        } else {
            out.send(from, tops(ring));
        }
        return null;
    }

    /**
     * One step down the segment tree: top digests are answered with the leaf digests under the tops that
     * differ, leaf digests with our entries in the leaves that differ (asking for theirs back). Returns why
     * the sender's ring is foreign to ours, or null.
     */
    String segments(PeerId from, Message.SegmentDigests s, Ring ring, long now, Output.Builder out) {
        if (ring == null) {
            ask.holder(from, now, out);
            return null;
        }
        if (!s.cluster().equals(ring.cluster())) {
            return "it belongs to cluster " + s.cluster() + " and this peer to " + ring.cluster();
        }
        if (s.ringDigest() == ring.digest()) {
            // Equal (by now: a change may have crossed the exchange). An empty piece tells the sender so: it
            // merges into exactly our ring, which counts as compared there too.
            sync.compared(from, now);
            out.send(from, equal(ring));
            return null;
        }
        Segments mine = ring.segments();
        List<Integer> differ = new ArrayList<>();
        if (s.top()) {
            List<Long> leaves = new ArrayList<>();
            for (int t = 0; t < Segments.TOPS; t++) {
                if (s.digests().get(t) != mine.top(t)) {
                    differ.add(t);
                    for (int l = t * Segments.FANOUT; l < (t + 1) * Segments.FANOUT; l++) {
                        leaves.add(mine.leaf(l));
                    }
                }
            }
            if (!differ.isEmpty()) {
                out.send(from, new Message.SegmentDigests(ring.cluster(), ring.digest(), differ, leaves));
                return null;
            }
            // Every segment is equal, so only tombstones differ: they travel with any piece, even an empty one.
        } else {
            for (int k = 0; k < s.under().size(); k++) {
                int first = s.under().get(k) * Segments.FANOUT;
                for (int j = 0; j < Segments.FANOUT; j++) {
                    if (s.digests().get(k * Segments.FANOUT + j) != mine.leaf(first + j)) {
                        differ.add(first + j);
                    }
                }
            }
        }
        out.send(from, new Message.SegmentEntries(ring.inLeaves(differ), ring.digest(), differ, true));
        return null;
    }

    /**
     * Bookkeeping for a ring piece from {@code from} that {@code merge} joined into ours, before the peer adopts
     * it: whether the two rings compared equal, and what to pass on.
     */
    void merged(PeerId from, Message m, Merge merge, long now) {
        if (m instanceof Message.Gossip g) {
            if (g.piece().complete()) {
                if (merge.ring().digest() == g.senderDigest()) {
                    // Compared: we now know all it knew, and it already knew all we did (see RingSync).
                    sync.compared(from, now);
                } else {
                    sync.madeOrAdopted(); // caught up on its ring, but it may not have had ours yet
                }
            } else {
                for (long t : merge.changedTokens()) {
                    toForward.add(t);
                }
            }
        } else if (m instanceof Message.SegmentEntries s && merge.ring().digest() == s.senderDigest()) {
            // Its entries where we differed made our ring exactly its ring: equal rings, as a whole ring's would.
            sync.compared(from, now);
        }
    }

    /** After a piece was merged (and adopted): what we know that the sender lacks goes back, if it asked. */
    void answer(PeerId from, Message m, Ring ring, Output.Builder out) {
        if (m instanceof Message.Gossip g && g.replyIfBehind()) {
            // An operator's delta asking back (see toAll): equal now, an empty piece proves it to the sender, as for
            // top digests (a link of wire protocol 2 drops it); else our top digests start a segment exchange that
            // brings it what we know. A whole ring asking back is answered in kind: protocol 2 sends those, and a
            // delta of a ring so small that it covers every entry is as cheap.
            out.send(from, ring.digest() == g.senderDigest() ? equal(ring)
                    : g.piece().complete() ? new Message.Gossip(ring.whole(), ring.digest(), false) : tops(ring));
        } else if (m instanceof Message.SegmentEntries s && s.replyIfBehind() && ring.digest() != s.senderDigest()) {
            out.send(from, new Message.SegmentEntries(ring.inLeaves(s.leaves()), ring.digest(), s.leaves(), false));
        }
    }

    /** "Our rings are equal": an empty piece, which merges into exactly our ring and so counts as compared. */
    private static Message.SegmentEntries equal(Ring ring) {
        return new Message.SegmentEntries(ring.inLeaves(List.of()), ring.digest(), List.of(), false);
    }

    private static Message.SegmentDigests tops(Ring ring) {
        Segments mine = ring.segments();
        List<Long> digests = new ArrayList<>(Segments.TOPS);
        for (int t = 0; t < Segments.TOPS; t++) {
            digests.add(mine.top(t));
        }
        return new Message.SegmentDigests(ring.cluster(), ring.digest(), List.of(), digests);
    }
}
