package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.node.Result.Refused;
import dev.weft.core.node.Result.Why;
import dev.weft.core.peer.Entropy;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.Gap;
import dev.weft.core.ring.Ring;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * An operator's reclaim of a gap ({@link Input.ReclaimGap}), on both sides.
 *
 * <p>The true owner of a gap is unknown: the split that made it was lost with every copy, and the install
 * that made it may only be cut off. So the acting peer asks every install it knows that is not tombstoned
 * (every owner its ring names, and every connected peer) whether it owns or knows anything there, each
 * answering from its own ring ({@link #ownsNothing}). Only when every one said "nothing" within the request deadline is the gap
 * claimed ({@code RingEditor#claimGap}); one that cannot answer must be removed first, or brought back. An
 * install that answers "I own something there" has an entry the asker has not learned yet: gossip closes
 * the gap, and the reclaim is refused.
 *
 * <p>Nothing here is stored: a reclaim in progress is lost with a restart, and its request is then answered
 * by the driver's own deadline; the operator asks again.
 */
final class GapReclaim {
    /** How often a question is sent again to an install that is up and has not answered (messages get lost). */
    static final long RESEND = 1_000;

    private static final class Asking {
        final Input.ReclaimGap request;
        final long nonce;
        final Set<PeerId> waiting;
        final Set<PeerId> answered = new TreeSet<>();
        final long deadline;
        final long patience;
        long nextSend;

        Asking(Input.ReclaimGap request, long nonce, Set<PeerId> waiting, long now, long patience) {
            this.request = request;
            this.nonce = nonce;
            this.waiting = waiting;
            this.deadline = now + patience;
            this.patience = patience;
        }
    }

    private final List<Asking> asking = new ArrayList<>();
    /** Draws the questions' nonces: a stream of its own, so a reclaim leaves the peer's other choices as they were. */
    private final Entropy nonces;

    GapReclaim(Entropy nonces) {
        this.nonces = nonces;
    }

    /**
     * Starts reclaiming {@code g.range()} on {@code ring}: answers at once when it is not exactly a gap or the
     * ring may be stale, else asks every known install (claiming at once when there is none to ask), and waits
     * {@code patience} for the answers: the request deadline, so that every request is answered in time.
     */
    void start(Input.ReclaimGap g, Ring ring, PeerId self, Set<PeerId> up, boolean caughtUp, long now, long patience,
            Output.Builder out, ToLongFunction<Range> claimer) {
        if (!caughtUp) {
            out.reply(g.id(), new Result.TryLater("this peer has not compared its ring with another peer since it"
                    + " started, so the gap may be closed elsewhere already; try again in a few seconds"));
            return;
        }
        Result no = notAGap(ring, g.range());
        if (no != null) {
            out.reply(g.id(), no);
            return;
        }
        Set<PeerId> ask = new TreeSet<>(ring.owners());
        ask.addAll(up);
        ask.removeAll(ring.tombstones());
        ask.remove(self);
        Asking a = new Asking(g, nonces.nextLong(), ask, now, patience);
        asking.add(a);
        send(a, up, now, out);
        finishIfAnswered(a, ring, out, claimer);
    }

    /** A question from another install, answered from this peer's own ring; or an answer to one of ours. */
    void receive(PeerId from, Message m, Ring ring, PeerId self, Collection<Long> fencedAddresses, Output.Builder out,
            ToLongFunction<Range> claimer) {
        if (m instanceof Message.GapQuery q) {
            out.send(from, new Message.GapAnswer(q.nonce(), ownsNothing(ring, self, q.range(), fencedAddresses)));
            return;
        }
        Message.GapAnswer answer = (Message.GapAnswer) m;
        for (Asking a : new ArrayList<>(asking)) {
            if (a.nonce != answer.nonce() || !a.waiting.contains(from)) {
                continue;
            }
            if (!answer.ownsNothing()) {
                asking.remove(a);
                out.reply(a.request.id(), new Refused(Why.UNSAFE, from + " says it owns addresses in "
                        + a.request.range() + " or knows an entry there, or keeps there the address of a pod that still"
                        + " runs: this peer has not learned that entry yet (gossip closes the gap within seconds; list"
                        + " the gaps again), or, if the gap stays, reclaim it through " + from + " (the pods it keeps"
                        + " there hold their addresses again in what it takes) or let the pod go first"));
                return;
            }
            a.waiting.remove(from);
            a.answered.add(from);
            finishIfAnswered(a, ring, out, claimer);
        }
    }

    /** Asks again whoever is up and still silent; refuses the reclaims past their deadline. */
    void tick(Set<PeerId> up, long now, Output.Builder out) {
        for (Iterator<Asking> it = asking.iterator(); it.hasNext(); ) {
            Asking a = it.next();
            if (a.deadline <= now) {
                it.remove();
                out.reply(a.request.id(), new Refused(Why.UNSAFE, a.waiting + " did not answer within "
                        + a.patience / 1000.0 + " s whether it owns anything in " + a.request.range() + ": the true owner"
                        + " of a gap is unknown, so every known install must answer. Remove it first (weft rmpeer)"
                        + " or bring it back, then reclaim again"));
            } else if (a.nextSend <= now) {
                send(a, up, now, out);
            }
        }
    }

    private static void send(Asking a, Set<PeerId> up, long now, Output.Builder out) {
        for (PeerId p : a.waiting) {
            if (up.contains(p)) {
                out.send(p, new Message.GapQuery(a.nonce, a.request.range()));
            }
        }
        a.nextSend = now + RESEND;
    }

    private void finishIfAnswered(Asking a, Ring ring, Output.Builder out, ToLongFunction<Range> claimer) {
        if (!a.waiting.isEmpty()) {
            return;
        }
        asking.remove(a);
        Range r = a.request.range();
        // Gossip may have closed or reshaped the gap while the answers came: what was asked is what is taken.
        Result no = notAGap(ring, r);
        if (no != null) {
            out.reply(a.request.id(), no);
            return;
        }
        // The peer's side takes it, makes it rest and spreads it; -1 when it was removed meanwhile.
        long version = claimer.applyAsLong(r);
        if (version < 0) {
            out.reply(a.request.id(), new Refused(Why.FENCED, "this peer was removed from the cluster while it asked"
                    + " about " + r + ": reclaim the gap through another peer"));
            return;
        }
        out.reply(a.request.id(), new Result.Done("took over the gap " + r + " (" + r.size() + " addresses) at"
                + " version " + version + "; every known install answered that it owns nothing there (" + a.answered
                + "); it rests like a takeover and is used last"));
    }

    /** Why {@code r} cannot be reclaimed on {@code ring}, or null when it is exactly one of its gaps. */
    static Result notAGap(Ring ring, Range r) {
        List<Gap> gaps = Gap.in(ring);
        if (gaps.contains(new Gap(r))) {
            return null;
        }
        return new Refused(Why.BAD_REQUEST, r + " is not a gap of this peer's ring (name a gap exactly as the gaps"
                + " query lists it, not a part of one); its gaps are " + gaps.stream().map(Gap::range).toList());
    }

    /**
     * Whether {@code self} may answer "nothing there" about {@code r}: no entry of its own ring covers any of
     * it, whoever owns that entry (simulator seed 6485: a donor that had given the range away owned nothing
     * there, and said so, while its grant was still on the way; the asker then took the range from under the
     * pods the recipient put in it); no claim of its own, at any entry, winning or not, reaches into it (up to
     * the end the claim itself states: the most it could believe it owns); and none of its pods holds a
     * fenced address there (one it keeps for a range it lost, to hand to the owner). Holds in its own ranges,
     * its pods' and those it keeps for removed installs, lie in entries its ring covers.
     */
    static boolean ownsNothing(Ring ring, PeerId self, Range r, Collection<Long> fencedAddresses) {
        for (long a : fencedAddresses) {
            if (r.contains(a)) {
                return false;
            }
        }
        if (ring == null) {
            return true;
        }
        for (int i = 0; i < ring.size(); i++) {
            Entry e = ring.entry(i);
            if (ring.rangeAt(i).overlaps(r)) {
                return false;
            }
            for (Claim c : e.claims()) {
                if (c.owner().equals(self) && e.token() < r.end() && c.end() > r.start()) {
                    return false;
                }
            }
        }
        return true;
    }
}
