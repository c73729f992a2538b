package dev.weft.core.node;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import dev.weft.core.space.Hold;
import java.util.List;

/** What peers say to each other. The core decides what goes where; the transport only carries it. */
public sealed interface Message {

    /**
     * "This is the ring I have" in a few bytes: cluster and the ring's digest; or, with no cluster, "I have no
     * ring". A ring-less digest asks the receiver for its whole ring unless its digest is {@link #NO_ASK}: a
     * joiner asks one peer at a time (see {@code RingAsk}), and otherwise only says it has none, which forming
     * peers need to hear from everyone. Every digest value but {@link #NO_ASK} asks, so the ring-less digest of
     * the previous wire protocol (digest 0) is answered as it always was, and a peer of that protocol answers
     * {@link #NO_ASK} with its ring, as before: a rolling upgrade costs rings, never a ring.
     */
    record Digest(ClusterId cluster, long digest) implements Message {
        /** The digest of a ring-less digest that says "I have no ring" without asking for one. */
        public static final long NO_ASK = 1;

        /** "I have no ring: send me yours" (to one peer known to have one). */
        public static Digest askingForRing() {
            return new Digest(null, 0);
        }

        /** "I have no ring", for forming peers (a ring holder answers with its digest, not its ring). */
        public static Digest withoutRing() {
            return new Digest(null, NO_ASK);
        }

        /** Whether this is a ring-less digest that wants the receiver's whole ring. */
        public boolean asksForRing() {
            return cluster == null && digest != NO_ASK;
        }
    }

    /**
     * Ring state: the whole ring (a joiner's, a consensus founding's, or wire protocol 2's anti-entropy), or a
     * delta after a change (receivers that learn from it pass it on). With {@code replyIfBehind} (an operator's
     * delta, or protocol 2's whole ring) the receiver answers: "equal" (an empty {@code SegmentEntries}) when
     * its ring then equals the sender's, else its top digests, or its whole ring to a whole ring.
     */
    record Gossip(RingPiece piece, long senderDigest, boolean replyIfBehind) implements Message {
        public Gossip {
            Checks.present(piece, "gossip without a ring piece");
        }
    }

    /**
     * "Our ring digests differ; here is where mine stands", without sending the ring (see {@link Segments}):
     * with {@code under} empty, the digests of the {@link Segments#TOPS} top segments (the answer to a
     * {@link Digest} that differs); otherwise the digests of the {@link Segments#FANOUT} leaves under each top
     * segment listed in {@code under}, in order (the answer to top digests of which those differ). {@code
     * ringDigest} is the sender's whole-ring digest, so a receiver that meanwhile became equal stops there.
     */
    record SegmentDigests(ClusterId cluster, long ringDigest, List<Integer> under, List<Long> digests)
            implements Message {
        public SegmentDigests {
            Checks.present(cluster, "segment digests without the cluster they belong to");
            under = Checks.segments(under, Segments.TOPS, "segment digests");
            Checks.present(digests, "segment digests without their digests");
            int expected = under.isEmpty() ? Segments.TOPS : under.size() * Segments.FANOUT;
            if (digests.size() != expected || digests.contains(null)) {
                throw new IllegalArgumentException("segment digests under " + (under.isEmpty() ? "the root"
                        : under.size() + " top segments") + " carry " + expected + " digests, not " + digests.size());
            }
            digests = List.copyOf(digests);
        }

        /** Whether these are the top segments' digests (else leaves under {@link #under}). */
        public boolean top() {
            return under.isEmpty();
        }
    }

    /**
     * "These are all my entries in these leaves" (with the entry after each run, and all tombstones): the end
     * of a segment exchange. The receiver merges them; if its ring then equals the sender's ({@code
     * senderDigest}) the two compared equal rings, and if not and {@code replyIfBehind}, it answers with its
     * own entries in the same leaves.
     */
    record SegmentEntries(RingPiece piece, long senderDigest, List<Integer> leaves, boolean replyIfBehind)
            implements Message {
        public SegmentEntries {
            Checks.present(piece, "segment entries without a ring piece");
            leaves = Checks.segments(leaves, Segments.LEAVES, "segment entries");
        }
    }

    /**
     * "I ran out: give me some of your free space inside {@code within}." With {@code exact}, the asker
     * wants the one address {@code within.start()} (a claim of an address this peer owns).
     */
    record SpaceRequest(long ask, Range within, boolean exact) implements Message {
        public SpaceRequest {
            Checks.present(within, "a space request without the range it wants space in");
            if (exact && within.size() != 1) {
                throw new IllegalArgumentException("an exact space request names one address, not " + within);
            }
        }
    }

    /** The ring change that hands the asker some space; the giver persisted it before sending. */
    record SpaceGrant(long ask, RingPiece change) implements Message {
        public SpaceGrant {
            Checks.present(change, "a space grant without its ring change");
        }
    }

    /** No space given; {@code inUse} when an exact address was asked for and someone holds it (final). */
    record SpaceDenied(long ask, String reason, boolean inUse) implements Message {
        public SpaceDenied {
            reason = reason == null ? "" : reason;
        }
    }

    /**
     * From an install that learned it was removed while it ran: every address its pods still hold. Its pods
     * keep running, so whoever took its ranges keeps those held for it, and it sends this again (shorter) as
     * they are released. {@code holds} is all of them, so a receiver can tell what was released. {@code
     * awaited} names the removed installs whose hand-over it was itself still waiting for, on ranges it took
     * and had not settled: whoever takes those from it waits for them in turn. Also from a live install whose
     * claim lost to another's at one version ({@code yielded}): its holds in those ranges, fenced, go to the
     * winner, which does not use the range before it has this.
     */
    record HandOver(List<Hold> holds, List<PeerId> awaited, List<Yield> yielded) implements Message {
        public HandOver {
            Checks.present(holds, "a hand-over without its list of holds (send an empty list when none)");
            Checks.present(awaited, "a hand-over without the installs it still waited for (an empty list when none)");
            Checks.present(yielded, "a hand-over without the entries it yielded (an empty list when none)");
            awaited = List.copyOf(awaited);
            yielded = List.copyOf(yielded);
            if (holds.size() > MAX_HANDED_OVER) {
                throw new IllegalArgumentException("a hand-over of " + holds.size() + " holds; at most "
                        + MAX_HANDED_OVER + " fit in one");
            }
            if (yielded.size() > MAX_HANDED_OVER) {
                throw new IllegalArgumentException("a hand-over yielding " + yielded.size() + " entries; at most "
                        + MAX_HANDED_OVER + " fit in one");
            }
            holds = List.copyOf(holds);
        }

        /** A hand-over that yields nothing (a removed install's, or a fenced peer's). */
        public HandOver(List<Hold> holds, List<PeerId> awaited) {
            this(holds, awaited, List.of());
        }
    }

    /**
     * "My claim on the entry at {@code token}, as of {@code version}, lost to another's, and every address my
     * pods hold there is in this hand-over": sent by the losing side of a resolved or settled conflict, so
     * the winner may use the range (see {@link dev.weft.core.ring.Entry#effective}). Only an install that
     * already knew it lost at that version says so, so a delayed older hand-over never counts.
     */
    record Yield(long token, long version) {
        public Yield {
            if (token < 0 || version < 1) {
                throw new IllegalArgumentException("a yield of entry " + token + " at version " + version
                        + ": tokens are addresses and versions start at 1");
            }
        }
    }

    /**
     * "Do you own anything in {@code range}?", asked of every known install before an operator's reclaim of a
     * gap; {@code nonce} ties the answers to this one question.
     */
    record GapQuery(long nonce, Range range) implements Message {
        public GapQuery {
            Checks.present(range, "a gap query without the range it asks about");
            if (range.isEmpty()) {
                throw new IllegalArgumentException("a gap query about an empty range " + range);
            }
        }
    }

    /** The answer to {@link GapQuery} {@code nonce}, read from the answerer's own ring. */
    record GapAnswer(long nonce, boolean ownsNothing) implements Message {}

    /** More addresses than one node's pods hold: a bound on what a peer can make us keep. */
    int MAX_HANDED_OVER = 1 << 20;

    record Prepare(Ballot ballot) implements Message {
        public Prepare {
            Checks.present(ballot, "prepare without a ballot");
        }
    }

    /** {@code accepted} and {@code value} are both null, or both set. */
    record Promise(Ballot ballot, Ballot accepted, List<PeerId> value) implements Message {
        public Promise {
            Checks.present(ballot, "promise without a ballot");
            if ((accepted == null) != (value == null)) {
                throw new IllegalArgumentException("a promise carries an accepted ballot and its value together");
            }
            value = value == null ? null : Checks.members(value);
        }
    }

    record Accept(Ballot ballot, List<PeerId> value) implements Message {
        public Accept {
            Checks.present(ballot, "accept without a ballot");
            value = Checks.members(value);
        }
    }

    record Accepted(Ballot ballot) implements Message {
        public Accepted {
            Checks.present(ballot, "accepted without a ballot");
        }
    }

    /** The acceptor has promised a higher ballot; the proposer should retry above it. */
    record Nack(Ballot ballot, Ballot promised) implements Message {
        public Nack {
            Checks.present(ballot, "nack without a ballot");
        }
    }
}
