package dev.weft.gossip.wire;

import dev.weft.core.address.Range;
import dev.weft.core.bootstrap.Ballot;
import dev.weft.core.node.Message;
import dev.weft.core.peer.PeerId;
import dev.weft.core.ring.Claim;
import dev.weft.core.ring.ClusterId;
import dev.weft.core.ring.Entry;
import dev.weft.core.ring.RingPiece;
import dev.weft.core.ring.Segments;
import dev.weft.core.space.Attachment;
import dev.weft.core.space.Hold;
import dev.weft.gossip.wire.proto.BallotMsg;
import dev.weft.gossip.wire.proto.CoreMessage;
import dev.weft.gossip.wire.proto.HandOverMsg;
import dev.weft.gossip.wire.proto.YieldMsg;
import dev.weft.gossip.wire.proto.HoldMsg;
import dev.weft.gossip.wire.proto.PeerRef;
import dev.weft.gossip.wire.proto.RingPieceMsg;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Protobuf into core messages, treating every byte as hostile: whatever the core's constructors would
 * refuse (their {@link IllegalArgumentException}s) becomes a {@link BadFrameException} with reason
 * {@link Reject#BAD_SHAPE}, and a missing part becomes {@link Reject#MALFORMED}. A decoded message is one
 * the core could have built itself.
 */
public final class MessageDecoder {
    private static final long MAX_IPV4 = 0xFFFF_FFFFL;

    private MessageDecoder() {}

    public static Message decode(CoreMessage m) throws BadFrameException {
        try {
            return switch (m.getKindCase()) {
                case DIGEST -> new Message.Digest(clusterOrNull(m.getDigest().getCluster()), m.getDigest().getDigest());
                case GOSSIP -> {
                    var g = m.getGossip();
                    require(g.hasPiece(), "gossip without a ring piece");
                    yield new Message.Gossip(piece(g.getPiece()), g.getSenderDigest(), g.getReplyIfBehind());
                }
                case SPACE_REQUEST -> {
                    var r = m.getSpaceRequest();
                    yield new Message.SpaceRequest(r.getAsk(), new Range(r.getStart(), r.getEnd()), r.getExact());
                }
                case SPACE_GRANT -> {
                    var g = m.getSpaceGrant();
                    require(g.hasChange(), "space grant without its ring change");
                    yield new Message.SpaceGrant(g.getAsk(), piece(g.getChange()));
                }
                case SPACE_DENIED -> new Message.SpaceDenied(m.getSpaceDenied().getAsk(), m.getSpaceDenied().getReason(),
                        m.getSpaceDenied().getInUse());
                case PREPARE -> new Message.Prepare(ballot(m.getPrepare().hasBallot(), m.getPrepare().getBallot()));
                case PROMISE -> {
                    var p = m.getPromise();
                    Ballot accepted = p.hasAccepted() ? ballot(true, p.getAccepted()) : null;
                    // An empty member list is how "no value" travels; the core refuses a value without a ballot.
                    List<PeerId> value = p.getValueCount() == 0 ? null : peers(p.getValueList());
                    yield new Message.Promise(ballot(p.hasBallot(), p.getBallot()), accepted, value);
                }
                case ACCEPT -> new Message.Accept(ballot(m.getAccept().hasBallot(), m.getAccept().getBallot()),
                        peers(m.getAccept().getValueList()));
                case ACCEPTED -> new Message.Accepted(ballot(m.getAccepted().hasBallot(), m.getAccepted().getBallot()));
                case NACK -> {
                    var n = m.getNack();
                    yield new Message.Nack(ballot(n.hasBallot(), n.getBallot()),
                            n.hasPromised() ? ballot(true, n.getPromised()) : null);
                }
                case HAND_OVER -> handOver(m.getHandOver());
                case GAP_QUERY -> new Message.GapQuery(m.getGapQuery().getNonce(),
                        new Range(m.getGapQuery().getStart(), m.getGapQuery().getEnd()));
                case GAP_ANSWER -> new Message.GapAnswer(m.getGapAnswer().getNonce(), m.getGapAnswer().getOwnsNothing());
                case SEGMENT_DIGESTS -> {
                    var d = m.getSegmentDigests();
                    // Bounded before anything is built: at most one digest per leaf.
                    require(d.getDigestsCount() <= Segments.LEAVES && d.getUnderCount() <= Segments.TOPS,
                            "segment digests with " + d.getDigestsCount() + " digests under " + d.getUnderCount()
                                    + " segments; at most " + Segments.LEAVES + " under " + Segments.TOPS);
                    ClusterId cluster = clusterOrNull(d.getCluster());
                    require(cluster != null, "segment digests without their cluster identity");
                    yield new Message.SegmentDigests(cluster, d.getRingDigest(), d.getUnderList(), d.getDigestsList());
                }
                case SEGMENT_ENTRIES -> {
                    var e = m.getSegmentEntries();
                    require(e.hasPiece(), "segment entries without a ring piece");
                    require(e.getLeavesCount() <= Segments.LEAVES, "segment entries naming " + e.getLeavesCount()
                            + " leaves; there are " + Segments.LEAVES);
                    yield new Message.SegmentEntries(piece(e.getPiece()), e.getSenderDigest(), e.getLeavesList(),
                            e.getReplyIfBehind());
                }
                case KIND_NOT_SET -> throw new BadFrameException(Reject.MALFORMED,
                        "a core message of no kind this peer knows (a newer peer's message, or garbage)");
            };
        } catch (IllegalArgumentException e) {
            throw new BadFrameException(Reject.BAD_SHAPE, "refused by the core's checks: " + e.getMessage(), e);
        }
    }

    public static RingPiece piece(RingPieceMsg p) throws BadFrameException {
        int count = p.getTokenGapsCount();
        boolean conflicts = p.getClaimCountsCount() > 0;
        int claimTotal = p.getOwnersCount();
        // Messages are built only on failure: this runs for every ring that arrives.
        if (p.getVersionsCount() != count || conflicts && p.getClaimCountsCount() != count || !conflicts && claimTotal != count
                || p.getFreesCount() != claimTotal || p.getEndsCount() != claimTotal
                || p.getTakeoversCount() != 0 && p.getTakeoversCount() != claimTotal) {
            throw new BadFrameException(Reject.MALFORMED, "a ring piece whose columns differ in length: " + count
                    + " tokens, " + p.getVersionsCount() + " versions, " + p.getClaimCountsCount() + " claim counts, "
                    + claimTotal + " owners, " + p.getFreesCount() + " free counts, " + p.getEndsCount() + " ends, "
                    + p.getTakeoversCount() + " takeover flags");
        }
        // Each install is checked once, however many entries it owns.
        PeerId[] peers = new PeerId[p.getPeersCount()];
        for (int i = 0; i < peers.length; i++) {
            peers[i] = peer(p.getPeers(i));
        }
        long[] tokens = new long[count];
        long token = p.getUniverseStart();
        for (int i = 0; i < count; i++) {
            // Wrapping past 2^64 yields a token at or below the previous one, which the piece refuses.
            token += p.getTokenGaps(i);
            tokens[i] = token;
        }
        boolean takeovers = p.getTakeoversCount() > 0;
        List<Entry> entries = new ArrayList<>(count);
        int c = 0;
        for (int i = 0; i < count; i++) {
            long next = i + 1 < count ? tokens[i + 1] : 0;
            int n = conflicts ? p.getClaimCounts(i) : 1;
            if (n < 1 || n > claimTotal - c) { // (no message built on the hot path)
                throw new BadFrameException(Reject.MALFORMED, "ring entry " + tokens[i] + " has "
                        + Integer.toUnsignedString(n) + " claims of the " + (claimTotal - c) + " left");
            }
            if (n == 1 && !(takeovers && p.getTakeovers(c))) {
                entries.add(Entry.of(tokens[i], p.getVersions(i), owner(peers, p.getOwners(c), tokens[i]), p.getFrees(c),
                        end(p.getEnds(c), next)));
                c++;
                continue;
            }
            List<Claim> claims = new ArrayList<>(n);
            for (int k = 0; k < n; k++, c++) {
                claims.add(new Claim(owner(peers, p.getOwners(c), tokens[i]), p.getFrees(c), end(p.getEnds(c), next),
                        takeovers && p.getTakeovers(c)));
            }
            entries.add(Entry.ofClaims(tokens[i], p.getVersions(i), claims));
        }
        if (c != claimTotal) {
            throw new BadFrameException(Reject.MALFORMED, "a ring piece with " + (claimTotal - c) + " claims that belong to no entry");
        }
        TreeSet<PeerId> tombstones = new TreeSet<>();
        for (PeerRef t : p.getTombstonesList()) {
            tombstones.add(peer(t));
        }
        ClusterId cluster = clusterOrNull(p.getCluster());
        require(cluster != null, "a ring piece without its cluster identity");
        return new RingPiece(cluster, new Range(p.getUniverseStart(), p.getUniverseEnd()), entries, tombstones,
                p.getComplete());
    }

    private static Message.HandOver handOver(HandOverMsg h) {
        // Counted before anything is built: a hostile peer must not make us allocate past the core's bound.
        if (h.getHoldsCount() > Message.MAX_HANDED_OVER) {
            throw new IllegalArgumentException("a hand-over of " + h.getHoldsCount() + " holds; at most "
                    + Message.MAX_HANDED_OVER + " fit in one");
        }
        List<Hold> holds = new ArrayList<>(h.getHoldsCount());
        for (HoldMsg x : h.getHoldsList()) {
            holds.add(hold(x));
        }
        if (h.getYieldedCount() > Message.MAX_HANDED_OVER) {
            throw new IllegalArgumentException("a hand-over yielding " + h.getYieldedCount() + " entries; at most "
                    + Message.MAX_HANDED_OVER + " fit in one");
        }
        List<Message.Yield> yielded = new ArrayList<>(h.getYieldedCount());
        for (YieldMsg y : h.getYieldedList()) {
            // The core's record refuses a token past the address space or a version below 1 (a hostile frame).
            yielded.add(new Message.Yield(y.getToken(), y.getVersion()));
        }
        return new Message.HandOver(holds, peers(h.getAwaitedList()), yielded);
    }

    /** The Attachment constructor refuses an empty container id, interface or network (no default is guessed). */
    public static Hold hold(HoldMsg h) {
        if (h.getAddress() < 0 || h.getAddress() > MAX_IPV4) {
            throw new IllegalArgumentException("a held address " + Long.toUnsignedString(h.getAddress())
                    + " that is not an IPv4 address");
        }
        return new Hold(new Attachment(h.getContainerId(), h.getIfname(), h.getNetwork()), h.getAddress());
    }

    /** An end of 0 stands for the next entry's token; the last entry has no next, so 0 stays 0 and is refused. */
    private static long end(long sent, long next) {
        return sent != 0 ? sent : next;
    }

    private static PeerId owner(PeerId[] peers, int index, long token) throws BadFrameException {
        if (index < 0 || index >= peers.length) {
            throw new BadFrameException(Reject.MALFORMED, "a claim at token " + token + " names owner #"
                    + Integer.toUnsignedString(index) + " of a table of " + peers.length);
        }
        return peers[index];
    }

    public static PeerId peer(PeerRef p) {
        return new PeerId(p.getName(), p.getUid());
    }

    public static ClusterId clusterOrNull(String value) {
        return value.isEmpty() ? null : new ClusterId(value);
    }

    private static List<PeerId> peers(List<PeerRef> refs) {
        List<PeerId> out = new ArrayList<>(refs.size());
        for (PeerRef r : refs) {
            out.add(peer(r));
        }
        return out;
    }

    private static Ballot ballot(boolean present, BallotMsg b) throws BadFrameException {
        require(present, "a Paxos message without its ballot");
        require(b.hasProposer(), "a ballot without its proposer");
        return new Ballot(b.getRound(), peer(b.getProposer()));
    }

    private static void require(boolean ok, String what) throws BadFrameException {
        if (!ok) {
            throw new BadFrameException(Reject.MALFORMED, what);
        }
    }
}
